import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'

import { projectRoot } from '../../../scripts/lib/ferretdb.mjs'

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embedded-server-test-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

it('stops by itself when the process that started it dies without stopping it', async () => {
  // A parent that starts the server, prints its pid, and is then killed with SIGKILL (no clean-up runs).
  const parent = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { startFerretDB } = await import(${JSON.stringify(path.join(projectRoot, 'scripts/lib/ferretdb.mjs'))});
       const db = await startFerretDB({ dataDir: ${JSON.stringify(dataDir)}, port: 0 });
       console.log('server-pid ' + db.child.pid + ' ' + db.uri);
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    parent.stdout.on('data', (chunk) => {
      out += chunk
      const match = /server-pid \d+ \S+/.exec(out)
      if (match) resolve(match[0])
    })
    parent.once('exit', (code) => reject(new Error(`parent exited early with ${code}`)))
  })
  const [, pid, uri] = line.split(' ')
  expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/)
  expect(isAlive(Number(pid))).toBe(true)

  parent.kill('SIGKILL')
  const deadline = Date.now() + 10_000
  while (isAlive(Number(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
  expect(isAlive(Number(pid))).toBe(false)
})

it('refuses to listen anywhere but loopback', async () => {
  const { ensureFerretDBBinary } = await import('../../../scripts/lib/ferretdb.mjs')
  const child = spawn(ensureFerretDBBinary(), ['-listen', '0.0.0.0:0', '-sqlite-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise((resolve) => child.once('exit', resolve))
  expect(code).not.toBe(0)
  expect(stderr).toContain('loopback addresses only')
})
