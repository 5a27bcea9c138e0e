import { spawn } from 'node:child_process'
import path from 'node:path'

export const projectRoot = path.resolve(import.meta.dirname, '../..')

export type ScriptResult = { code: number | null; stdout: string; stderr: string }

/** Variables for a child: a string sets one, `null` removes one inherited from the test's environment. */
export type ChildEnv = Record<string, string | null>

/**
 * Runs an ops script (`node scripts/run-ts.mjs scripts/<name>.ts …`) as ops would, and collects its output.
 * `cwd` is the directory it runs from (where its .env files are read; default the project root, as npm runs it).
 */
export function runScript(script: string, args: string[], env: ChildEnv = {}, { cwd = projectRoot } = {}): Promise<ScriptResult> {
  return runCommand(process.execPath, [path.join(projectRoot, 'scripts/run-ts.mjs'), `scripts/${script}.ts`, ...args], env, { cwd })
}

/**
 * Runs a command from a shell's seat (e.g. `npm run NAME -- …`) with PROGRESS=off, and collects its output.
 * `input` is written to its stdin (otherwise stdin is closed).
 */
export function runCommand(command: string, args: string[], env: ChildEnv = {}, { cwd = projectRoot, input }: { cwd?: string; input?: string } = {}): Promise<ScriptResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PROGRESS: 'off' }
  for (const [name, value] of Object.entries(env)) {
    if (value === null) delete childEnv[name]
    else childEnv[name] = value
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    if (input !== undefined) child.stdin!.end(input)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk) => (stdout += chunk))
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}
