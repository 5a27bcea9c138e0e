import mongoose from 'mongoose'
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** The database ops scripts work on: DATABASE_URL, else the development database of `npm run db`. */
export function databaseUrl(): string {
  process.env.DATABASE_URL ||= 'mongodb://127.0.0.1:27117/movie-platform'
  return process.env.DATABASE_URL
}

/** A raw connection (no Payload, no index builds), or exit code 2 with a hint when the server cannot be reached. */
export async function connectOrExit(): Promise<mongoose.Connection> {
  const url = databaseUrl()
  try {
    return await mongoose.createConnection(url, { autoIndex: false, autoCreate: false, serverSelectionTimeoutMS: 10_000 }).asPromise()
  } catch (err) {
    console.error(`Cannot reach the database: ${(err as Error).message}\nStart it with \`npm run db\` or set DATABASE_URL.`)
    process.exit(2)
  }
}

/** Parses argv with node:util, printing the usage and exiting 2 on a bad option, 0 on --help. */
export async function parseOrExit<T extends ParseArgsConfig>(config: T, usage: string) {
  try {
    const parsed = parseArgs({ ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } } as T)
    if ((parsed.values as { help?: boolean }).help) {
      console.log(usage)
      process.exit(0)
    }
    return parsed
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`)
    process.exit(2)
  }
}

/**
 * Payload on the ops database, once the server has answered (exit code 2 with a hint when it does not), and the
 * engine it runs on. The config is imported only now: it reads DATABASE_URL when first imported.
 */
export async function payloadOrExit() {
  const url = databaseUrl()
  const { detectDatabaseEngine, describeEngine } = await import('../../src/db/engine')
  let engine
  try {
    engine = await detectDatabaseEngine(url)
  } catch (err) {
    console.error(`Cannot reach the database: ${(err as Error).message}\nStart it with \`npm run db\` or set DATABASE_URL.`)
    process.exit(2)
  }
  const { getPayload } = await import('payload')
  const config = await (await import('../../payload.config')).default
  return { payload: await getPayload({ config }), engine, engineName: describeEngine(engine) }
}
