import path from 'node:path'
import { defineConfig } from 'vitest/config'

/**
 * The files that drive Debian's Chromium through the admin. They run after every other file, one at a time: a
 * browser, the app it drives and the app's database server share two cores, and steps that take a second on a
 * quiet machine took over a minute while three server-side files ran beside them (seen in CI).
 */
const browserTests = ['tests/e2e/admin/**/*.e2e.spec.ts', 'tests/e2e/ops/seedDashboard.e2e.spec.ts']

export default defineConfig({
  resolve: {
    alias: {
      '@payload-config': path.resolve(import.meta.dirname, 'payload.config.ts'),
      '@': path.resolve(import.meta.dirname, 'src'),
    },
  },
  test: {
    globalSetup: ['tests/setup/globalSetup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['tests/**/*.int.spec.ts', 'tests/**/*.e2e.spec.ts'],
          exclude: browserTests,
          // Each test file gets its own database, so files run in parallel; they mostly wait on the database
          // server and the app under test, so three run at once even on two cores.
          fileParallelism: true,
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: browserTests,
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
