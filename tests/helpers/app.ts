import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { ensureTestAppBuild, root, testDistDir } from '../setup/appBuild'
import { TEST_SECRET, uniqueDatabaseUrl } from './database'

export type RunningApp = {
  url: string
  databaseUrl: string
  /** Where the app's development mailer files every message it sends (MAIL_OUTBOX_DIR): read with tests/helpers/mail.ts. */
  outboxDir: string
  stop: () => Promise<void>
  output: () => string
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts the built app (`next start`, production mode) on a free loopback port with a database of its own, and
 * resolves once it answers HTTP. Used by the HTTP and browser tests.
 */
export async function startApp(
  label: string,
  extraEnv: Record<string, string> = {},
  /** Reuse another app's database (several instances behind one database); a fresh one by default. */
  { databaseUrl = uniqueDatabaseUrl(label) }: { databaseUrl?: string } = {},
): Promise<RunningApp> {
  await ensureTestAppBuild()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const outboxDir = extraEnv.MAIL_OUTBOX_DIR ?? mkdtempSync(path.join(tmpdir(), `outbox-${label}-`))
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_DIST_DIR: testDistDir,
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: databaseUrl,
        PAYLOAD_SECRET: TEST_SECRET,
        NEXT_PUBLIC_SERVER_URL: url,
        MAIL_OUTBOX_DIR: outboxDir,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))

  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`)
    try {
      const response = await fetch(`${url}/api/users/me`)
      if (response.status < 500) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`app did not answer within 120 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }

  return {
    url,
    databaseUrl,
    outboxDir,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
