import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export const root = path.resolve(import.meta.dirname, '../..')
export const testDistDir = '.next-test'

/** Newest modification time under the inputs of a Next.js build. */
function newestSourceMtime(): number {
  let newest = 0
  const visit = (target: string) => {
    if (!existsSync(target)) return
    const stat = statSync(target)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(target)) visit(path.join(target, entry))
    } else {
      newest = Math.max(newest, stat.mtimeMs)
    }
  }
  for (const input of ['src', 'payload.config.ts', 'next.config.mjs', 'package-lock.json', 'tsconfig.json']) {
    visit(path.join(root, input))
  }
  return newest
}

/**
 * Builds the app for the HTTP and browser tests unless a build newer than every source exists. A lock folder
 * keeps test files (and concurrent test runs) from building into the same folder at once.
 */
export async function ensureTestAppBuild() {
  const buildId = path.join(root, testDistDir, 'BUILD_ID')
  // A test run checks the build once: apps of the same run may already be serving from it, so sources edited
  // while the run goes on are picked up by the next run, never by rebuilding under a running server.
  const runId = process.env.TEST_RUN_ID
  const runMarker = path.join(root, testDistDir, 'TEST_RUN_ID')
  const isCheckedThisRun = () => Boolean(runId) && existsSync(runMarker) && readFileSync(runMarker, 'utf8') === runId
  const isFresh = () => existsSync(buildId) && statSync(buildId).mtimeMs > newestSourceMtime()
  if (isCheckedThisRun()) return
  const lock = path.join(root, `${testDistDir}.lock`)
  const deadline = Date.now() + 10 * 60_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // A lock older than ten minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`)
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
  try {
    if (!isCheckedThisRun() && !isFresh()) build()
    if (runId) writeFileSync(runMarker, runId)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function build() {
  console.log('[tests] building the app for HTTP and browser tests (next build)…')
  const started = Date.now()
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_DIST_DIR: testDistDir, NEXT_TELEMETRY_DISABLED: '1' }
  delete env.DATABASE_URL
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    env,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`next build for the tests failed:\n${result.stdout}\n${result.stderr}`)
  }
  console.log(`[tests] app built in ${Math.round((Date.now() - started) / 1000)} s`)
}
