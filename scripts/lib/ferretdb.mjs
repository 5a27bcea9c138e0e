// Builds (once, cached) and starts the embedded FerretDB server used when no DATABASE_URL is set.
// Shared by `npm run dev`, `npm run db` and the test set-up so all three start the database the same way.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const sourceDir = path.join(root, 'scripts/ferretdb')
const cacheDir = path.join(root, '.cache/ferretdb')
export const binaryPath = path.join(cacheDir, 'ferretdb')

/** Hash of the Go sources: the cached binary is rebuilt whenever they change. */
function sourceHash() {
  const hash = createHash('sha256')
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(path.join(sourceDir, file)))
  return hash.digest('hex')
}

/** Builds the FerretDB binary unless an up-to-date one is cached. Returns its path. */
export function ensureFerretDBBinary({ log = console.error } = {}) {
  const stampPath = `${binaryPath}.sha256`
  const wanted = sourceHash()
  if (existsSync(binaryPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === wanted) {
    return binaryPath
  }
  mkdirSync(cacheDir, { recursive: true })
  log('[db] building the embedded FerretDB server (first run takes about two minutes)…')
  const result = spawnSync('go', ['build', '-trimpath', '-o', binaryPath, '.'], {
    cwd: sourceDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (result.error) throw new Error(`[db] cannot run "go build": ${result.error.message} (is Go installed?)`)
  if (result.status !== 0) throw new Error(`[db] building FerretDB failed with exit code ${result.status}`)
  writeFileSync(stampPath, wanted)
  return binaryPath
}

/**
 * Starts FerretDB and resolves once it accepts connections.
 * backend: 'sqlite' (dataDir required) or 'postgresql' (postgresUrl required).
 * port 0 picks a free port. The server exits by itself when this process dies.
 */
export async function startFerretDB({
  backend = 'sqlite',
  dataDir,
  postgresUrl,
  port = 0,
  log = console.error,
}) {
  const binary = ensureFerretDBBinary({ log })
  const args = ['-listen', `127.0.0.1:${port}`, '-handler', backend]
  if (backend === 'sqlite') args.push('-sqlite-dir', dataDir)
  else if (backend === 'postgresql') args.push('-postgresql-url', postgresUrl)
  else throw new Error(`[db] unknown FERRETDB_BACKEND "${backend}" (sqlite or postgresql)`)

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000)
  })

  const uri = await new Promise((resolve, reject) => {
    let stdout = ''
    const onData = (chunk) => {
      stdout += chunk
      const match = /^ready (\S+)$/m.exec(stdout)
      if (match) {
        child.stdout.off('data', onData)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => {
      const hint = /address already in use/.test(stderr)
        ? `\n[db] Port ${port} is taken: another \`npm run dev\` or \`npm run db\` is running. Stop it, or set FERRETDB_PORT or DATABASE_URL.`
        : ''
      reject(new Error(`[db] FerretDB exited with code ${code}: ${stderr.trim()}${hint}`))
    })
    child.once('error', reject)
  })
  child.stdout.resume()

  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })

  return { uri, child, stop, backend }
}

/** Backend settings from the environment: FERRETDB_BACKEND (sqlite | postgresql), FERRETDB_POSTGRESQL_URL. */
export function backendFromEnv(env = process.env) {
  const backend = env.FERRETDB_BACKEND || 'sqlite'
  const postgresUrl = env.FERRETDB_POSTGRESQL_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
  return { backend, postgresUrl }
}

/** Appends a database name to a server URI such as mongodb://127.0.0.1:1234/ */
export function databaseUrl(serverUri, name) {
  const url = new URL(serverUri)
  url.pathname = `/${name}`
  return url.toString()
}

export const projectRoot = root
