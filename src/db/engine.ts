import mongoose from 'mongoose'

/**
 * Which MongoDB-wire server DATABASE_URL points at. FerretDB v1 (the embedded development and test database)
 * announces itself with a `ferretdbVersion` field in buildInfo; anything else is treated as MongoDB.
 */
export type DatabaseEngine =
  | { kind: 'mongodb'; version: string }
  | { kind: 'ferretdb'; version: string; mongoVersion: string }

export async function detectDatabaseEngine(url: string): Promise<DatabaseEngine> {
  const connection = await mongoose
    .createConnection(url, { serverSelectionTimeoutMS: 10_000, autoCreate: false, autoIndex: false })
    .asPromise()
  try {
    const info = await connection.db!.admin().buildInfo()
    if (typeof info.ferretdbVersion === 'string') {
      return { kind: 'ferretdb', version: info.ferretdbVersion, mongoVersion: String(info.version) }
    }
    return { kind: 'mongodb', version: String(info.version) }
  } finally {
    await connection.close()
  }
}

export function describeEngine(engine: DatabaseEngine): string {
  return engine.kind === 'ferretdb'
    ? `FerretDB ${engine.version} (speaks MongoDB ${engine.mongoVersion})`
    : `MongoDB ${engine.version}`
}
