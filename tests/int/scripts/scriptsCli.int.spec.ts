import mongoose from 'mongoose'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { uniqueDatabaseUrl } from '../../helpers/database'
import { projectRoot, runCommand, runScript } from '../../helpers/runScript'

/**
 * Every npm script from an operator's shell: `--help` answers (exit 0) with its usage, a bad flag is refused
 * (exit 2) with the problem and the usage, never a stack trace; and the scripts read .env as `npm start` does.
 */
const packageScripts = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).scripts as Record<string, string>

/** Scripts that are other tools' command lines, not ours: their flags are those tools'. */
const notOurs: Record<string, string> = {
  dev: "runs `next dev` (its flags are Next's) after starting the embedded database",
  build: 'runs `next build`',
  start: 'runs `next start`',
  payload: "Payload's own CLI",
  'generate:types': "Payload's CLI (payload generate:types)",
  'generate:importmap': "Payload's CLI (payload generate:importmap)",
  typecheck: 'runs tsc',
  lint: 'runs eslint',
  test: 'runs vitest',
  'test:e2e': 'runs vitest',
}
const ours = Object.keys(packageScripts).filter((name) => !(name in notOurs))
// Nothing here may act on a database: any script that tried would find none.
const nowhere = { DATABASE_URL: 'mongodb://127.0.0.1:9/never?serverSelectionTimeoutMS=500' }
const npm = (name: string, args: string[], env = nowhere, cwd = projectRoot) => runCommand('npm', ['run', '-s', name, '--', ...args], env, { cwd })

describe('package.json scripts from a shell', () => {
  it('lists a reason for every script it does not walk, and walks the rest', () => {
    for (const name of Object.keys(notOurs)) expect(packageScripts, `${name} is listed as skipped but is no script`).toHaveProperty(name)
    expect(ours).toEqual(expect.arrayContaining(['db', 'backup', 'restore', 'retention', 'migrate', 'migrate:down', 'migrate:status', 'worker', 'tasks:archive']))
  })

  it.each(ours)('npm run %s -- --help: the usage, exit 0', async (name) => {
    const result = await npm(name, ['--help'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`Usage: npm run ${name}`)
    expect(result.stdout).toMatch(/Exit codes: 0 /)
  }, 120_000)

  it.each(ours)('npm run %s -- --no-such-flag: the problem and the usage, exit 2, no stack trace', async (name) => {
    const result = await npm(name, ['--no-such-flag'])
    expect(result.code, result.stdout + result.stderr).toBe(2)
    expect(result.stderr).toMatch(/Unknown option '--no-such-flag'\n\nUsage: npm run /)
    expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/)
  }, 120_000)
})

describe('an unreachable database', () => {
  const withCredentials = { DATABASE_URL: 'mongodb://ops:s3cret-pass@127.0.0.1:9/never?serverSelectionTimeoutMS=500' }
  it.each([
    ['db:indexes', []],
    ['db:stats', []],
    ['db:search-indexes', ['--create']],
    ['backup', ['--out', path.join(os.tmpdir(), 'never-written.ndjson.gz')]],
    ['retention', ['--dry-run']],
    ['tasks:archive', ['--dry-run']],
    ['migrate:status', []],
    ['seed', []],
  ])('npm run %s: names it without credentials, exit 2', async (name, args) => {
    const result = await npm(name, args as string[], withCredentials)
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/Cannot reach the database 127\.0\.0\.1:9\/never/)
    expect(result.stderr).not.toContain('s3cret-pass')
    expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/)
  }, 120_000)
})

describe('one message per problem', () => {
  it('tasks:archive --older-than 0d names that flag only', async () => {
    const result = await npm('tasks:archive', ['--older-than', '0d'])
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n\nUsage:')[0]).toBe('--older-than must be at least 1d: "0d" would archive tasks that finished just now.')
  })

  it('tasks:archive with two bad flags names both, one line each', async () => {
    const result = await npm('tasks:archive', ['--older-than', 'soon', '--batch-size', '0'])
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n\nUsage:')[0].split('\n')).toEqual([
      '--older-than takes an age like 30d, 12h or 90m, not "soon".',
      '--batch-size takes a whole number from 1 to 10000, not "0".',
    ])
  })

  it('worker --concurrency 0 and an unknown type: a message and the usage, no stack trace', async () => {
    const result = await npm('worker', ['--concurrency', '0'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^--concurrency takes a whole number from 1 to 64, not "0"\.\n\nUsage: npm run worker/)
    const types = await npm('worker', ['--types', 'dreaming'])
    expect(types.code).toBe(2)
    expect(types.stderr).toMatch(/unknown task type\(s\) dreaming/)
  }, 120_000)
})

describe('confirmation on a terminal (util-linux `script` gives the command a pseudo-terminal)', () => {
  const databaseUrl = uniqueDatabaseUrl('confirm')
  const databaseName = new URL(databaseUrl).pathname.slice(1)
  let connection: mongoose.Connection
  beforeAll(async () => {
    connection = await mongoose.createConnection(databaseUrl).asPromise()
    await connection.db!.collection('audit-logs').insertOne({ operation: 'update', createdAt: new Date(Date.now() - 400 * 24 * 60 * 60 * 1000) })
  })
  afterAll(async () => {
    await connection?.dropDatabase()
    await connection?.close()
  })
  const onTerminal = (typed: string) =>
    runCommand('script', ['-qec', `node ${path.join(projectRoot, 'scripts/run-ts.mjs')} scripts/retention.ts`, '/dev/null'], { DATABASE_URL: databaseUrl }, { input: typed })

  it('retention asks for the database name; another answer changes nothing (exit 2)', async () => {
    const result = await onTerminal('movie-platform\n')
    expect(result.stdout).toContain(`Type the database name (${databaseName}) to go on`)
    expect(result.stdout).toMatch(/Not confirmed; nothing changed/)
    expect(result.code).toBe(2)
    expect(await connection.db!.collection('audit-logs').countDocuments()).toBe(1)
  }, 120_000)

  it('retention goes on once the database name is typed', async () => {
    const result = await onTerminal(`${databaseName}\n`)
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/audit-log: removed 1 entr/)
    expect(await connection.db!.collection('audit-logs').countDocuments()).toBe(0)
  }, 120_000)
})

describe('configuration: the environment, then .env, as `npm start` reads it', () => {
  const databaseUrl = uniqueDatabaseUrl('dotenv')
  const databaseName = new URL(databaseUrl).pathname.slice(1)
  const withEnvFile = mkdtempSync(path.join(os.tmpdir(), 'ops-dotenv-'))
  const withoutEnvFile = mkdtempSync(path.join(os.tmpdir(), 'ops-no-dotenv-'))
  let connection: mongoose.Connection
  beforeAll(async () => {
    connection = await mongoose.createConnection(databaseUrl).asPromise()
    await connection.db!.collection('only-in-the-dotenv-database').insertOne({ marker: true })
    // Credentials in the URL: they must never be printed.
    const url = new URL(databaseUrl)
    writeFileSync(path.join(withEnvFile, '.env'), `# as an operator writes it\nDATABASE_URL=${url.toString()}\nAUDIT_RETENTION_DAYS=30\n`)
  })
  afterAll(async () => {
    await connection?.dropDatabase()
    await connection?.close()
    rmSync(withEnvFile, { recursive: true, force: true })
    rmSync(withoutEnvFile, { recursive: true, force: true })
  })

  it('db:stats given only .env acts on its database and names it (host/db) before acting', async () => {
    const result = await runScript('db-stats', ['--json'], { DATABASE_URL: null }, { cwd: withEnvFile })
    expect(result.stderr).toMatch(new RegExp(`^Database: 127\\.0\\.0\\.1:\\d+/${databaseName}$`, 'm'))
    const report = JSON.parse(result.stdout)
    expect(report.collections.map((c: { collection: string }) => c.collection)).toContain('only-in-the-dotenv-database')
  }, 120_000)

  it('backup given only .env archives that database', async () => {
    const result = await runScript('backup', ['--out', 'from-dotenv.ndjson.gz'], { DATABASE_URL: null }, { cwd: withEnvFile })
    expect(result.code, result.stderr).toBe(0)
    expect(gunzipSync(readFileSync(path.join(withEnvFile, 'from-dotenv.ndjson.gz'))).toString('utf8')).toContain('"c":"only-in-the-dotenv-database"')
  }, 120_000)

  it('a variable set in the environment wins over .env, as with next start', async () => {
    const result = await runScript('db-stats', ['--json'], nowhere, { cwd: withEnvFile })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^Database: 127\.0\.0\.1:9\/never$/m)
    expect(result.stderr).toMatch(/Cannot reach the database 127\.0\.0\.1:9\/never/)
  }, 120_000)

  it('retention given only .env takes AUDIT_RETENTION_DAYS from it', async () => {
    const result = await runScript('retention', ['--dry-run'], { DATABASE_URL: null, AUDIT_RETENTION_DAYS: null }, { cwd: withEnvFile })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/older than 30 day\(s\)/)
  }, 120_000)

  it('the worker without DATABASE_URL anywhere says so (exit 2), no crash', async () => {
    expect(readdirSync(withoutEnvFile)).toEqual([])
    const result = await runScript('worker', ['--once'], { DATABASE_URL: null }, { cwd: withoutEnvFile })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^DATABASE_URL is not set \(in the environment or \.env\)/)
    expect(result.stderr).not.toMatch(/weak set|\n\s+at /)
  }, 120_000)

  it('the worker on an unreachable database names it without credentials (exit 2)', async () => {
    const result = await runScript('worker', ['--once'], { DATABASE_URL: 'mongodb://ops:s3cret-pass@127.0.0.1:9/never?serverSelectionTimeoutMS=500' }, { cwd: withoutEnvFile })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Cannot reach the database 127\.0\.0\.1:9\/never/)
    expect(result.stderr).not.toContain('s3cret-pass')
  }, 120_000)
})
