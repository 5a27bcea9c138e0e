import { spawn } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

export type ScriptResult = { code: number | null; stdout: string; stderr: string }

/** Runs an ops script (`node scripts/run-ts.mjs scripts/<name>.ts …`) as ops would, and collects its output. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/run-ts.mjs'), `scripts/${script}.ts`, ...args], {
      cwd: root,
      env: { ...process.env, PROGRESS: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}
