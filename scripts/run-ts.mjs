// Runs a TypeScript entry point (ops scripts, the worker, benchmarks) with tsx, so scripts share the app's source as
// is. Usage: node scripts/run-ts.mjs <file.ts> [args…]
// The configuration is the app's: the environment, then .env (scripts/lib/appEnv.mjs).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadAppEnv } from './lib/appEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]')
  process.exit(2)
}
loadAppEnv()
// tsx by absolute URL: the script runs from whatever directory the operator is in.
const child = spawn(process.execPath, ['--no-deprecation', '--import', import.meta.resolve('tsx'), path.resolve(root, entry), ...args], {
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
})
// Signals reach the script (the worker drains on SIGTERM) instead of killing only this launcher.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal))
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
