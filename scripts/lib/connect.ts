import mongoose from 'mongoose'
import { createInterface } from 'node:readline/promises'
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** The development database of `npm run db`, used when DATABASE_URL is set neither in the environment nor in .env. */
export const DEVELOPMENT_DATABASE_URL = 'mongodb://127.0.0.1:27117/movie-platform'

/**
 * The database ops scripts work on: DATABASE_URL (the environment, then .env — loaded by scripts/run-ts.mjs as
 * `next start` loads it), else the development database of `npm run db`.
 */
export function databaseUrl(): string {
  if (!process.env.DATABASE_URL) {
    usingDevelopmentDefault = true
    process.env.DATABASE_URL = DEVELOPMENT_DATABASE_URL
  }
  return process.env.DATABASE_URL
}
let usingDevelopmentDefault = false

/**
 * Where a connection string points, for the operator's eyes: hosts and database name, never user, password or
 * options. `mongodb://u:p@a:1,b:2/app?replicaSet=rs0` → `a:1,b:2/app`.
 */
export function describeDatabaseUrl(url: string): string {
  const match = /^(mongodb(?:\+srv)?):\/\/(?:[^@/]*@)?([^/?]*)(?:\/([^?]*))?/.exec(url)
  if (!match) return '(not a mongodb:// URL)'
  return `${match[2]}/${decodeURIComponent(match[3] || 'test')}`
}

/** Prints the database a script is about to act on (stderr, so --json output stays clean). */
export function announceDatabase(url = databaseUrl()) {
  const source = usingDevelopmentDefault ? ' (DATABASE_URL unset: the development database of `npm run db`)' : ''
  console.error(`Database: ${describeDatabaseUrl(url)}${source}`)
}

/** A raw connection (no Payload, no index builds), or exit code 2 with a hint when the server cannot be reached. */
export async function connectOrExit(): Promise<mongoose.Connection> {
  const url = databaseUrl()
  announceDatabase(url)
  try {
    return await mongoose.createConnection(url, { autoIndex: false, autoCreate: false, serverSelectionTimeoutMS: 10_000 }).asPromise()
  } catch (err) {
    console.error(`Cannot reach the database ${describeDatabaseUrl(url)}: ${reason(err)}\nStart it with \`npm run db\` or set DATABASE_URL.`)
    process.exit(2)
  }
}

/** The driver's message without the connection string it may quote. */
function reason(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(/mongodb(\+srv)?:\/\/\S+/g, '<DATABASE_URL>')
}

/**
 * Parses argv with node:util: on --help prints the usage and exits 0; on an unknown or malformed option, or a
 * positional where none is taken, prints the problem and the usage and exits 2.
 */
export function parseOrExit<T extends ParseArgsConfig>(config: T, usage: string) {
  try {
    const parsed = parseArgs({ ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } } as T)
    if ((parsed.values as { help?: boolean }).help) {
      console.log(usage)
      process.exit(0)
    }
    return parsed
  } catch (err) {
    return usageError(optionProblem(err), usage)
  }
}

/** node:util's parse error, without its hint about positionals starting with '-' (no script takes one). */
export function optionProblem(err: unknown): string {
  return String((err as Error).message).replace(/\. To specify a positional argument[\s\S]*$/, '')
}

/** One line naming the problem, then the usage; exit code 2. */
export function usageError(problem: string, usage: string): never {
  console.error(`${problem}\n\n${usage}`)
  process.exit(2)
}

/**
 * Destructive commands go ahead only when confirmed: `--yes`, or typing the database name on a terminal. Without a
 * terminal and without --yes they refuse (exit 2) before touching anything.
 */
export async function confirmOrExit({ yes, action, url = databaseUrl() }: { yes: boolean | undefined; action: string; url?: string }) {
  if (yes) return
  const target = describeDatabaseUrl(url)
  if (!process.stdin.isTTY) {
    console.error(`Refusing to ${action} on ${target} without confirmation: pass --yes (no terminal to ask on).`)
    process.exit(2)
  }
  const name = target.slice(target.lastIndexOf('/') + 1)
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  const answer = await prompt.question(`This will ${action} on ${target}. Type the database name (${name}) to go on: `)
  prompt.close()
  if (answer.trim() !== name) {
    console.error('Not confirmed; nothing changed.')
    process.exit(2)
  }
}

/**
 * Payload on the ops database, once the server has answered (exit code 2 with a hint when it does not), and the
 * engine it runs on. The config is imported only now: it reads DATABASE_URL when first imported.
 */
export async function payloadOrExit() {
  const url = databaseUrl()
  announceDatabase(url)
  const { detectDatabaseEngine, describeEngine } = await import('../../src/db/engine')
  let engine
  try {
    engine = await detectDatabaseEngine(url)
  } catch (err) {
    console.error(`Cannot reach the database ${describeDatabaseUrl(url)}: ${reason(err)}\nStart it with \`npm run db\` or set DATABASE_URL.`)
    process.exit(2)
  }
  const { getPayload } = await import('payload')
  const config = await (await import('../../payload.config')).default
  return { payload: await getPayload({ config }), engine, engineName: describeEngine(engine) }
}
