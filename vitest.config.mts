import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: {
      '@payload-config': path.resolve(import.meta.dirname, 'payload.config.ts'),
      '@': path.resolve(import.meta.dirname, 'src'),
    },
  },
  test: {
    include: ['tests/**/*.int.spec.ts', 'tests/**/*.e2e.spec.ts'],
    globalSetup: ['tests/setup/globalSetup.ts'],
    pool: 'forks',
    // Each test file gets its own database, so files run in parallel.
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  },
})
