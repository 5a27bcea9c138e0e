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
    return await engineOfDb(connection.db!)
  } finally {
    await connection.close()
  }
}

const engines = new WeakMap<mongoose.mongo.Db, Promise<DatabaseEngine>>()

/** The engine behind an open connection (Payload's: `payload.db.connection.db`), asked once per connection. */
export function engineOfDb(db: mongoose.mongo.Db): Promise<DatabaseEngine> {
  let engine = engines.get(db)
  if (!engine) {
    engine = db
      .admin()
      .buildInfo()
      .then((info): DatabaseEngine =>
        typeof info.ferretdbVersion === 'string'
          ? { kind: 'ferretdb', version: info.ferretdbVersion, mongoVersion: String(info.version) }
          : { kind: 'mongodb', version: String(info.version) },
      )
    // A failed probe is asked again next time rather than remembered.
    engine.catch(() => engines.delete(db))
    engines.set(db, engine)
  }
  return engine
}

export function describeEngine(engine: DatabaseEngine): string {
  return engine.kind === 'ferretdb'
    ? `FerretDB ${engine.version} (speaks MongoDB ${engine.mongoVersion})`
    : `MongoDB ${engine.version}`
}
