import type { Payload } from 'payload'

import { readdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createLocalReq, getMigrations } from 'payload'

import type { DatabaseEngine } from '../../db/engine'
import { ensureAppIndexes, ensureSearchIndexes } from '../../db/indexes'
import type { MigrationReport } from './report'

import { recordAudit } from '../../audit/recordAudit'
import { internalSlugs } from '../../model/slugs'

export type DryRunArgs = { payload: Payload; direction: 'up' | 'down' }

type MigrationModule = { dryRun?: (args: DryRunArgs) => Promise<MigrationReport[]> }

/** The migration files in the order Payload runs them (by name), as in payload's readMigrationFiles. */
function migrationFiles(payload: Payload): { name: string; file: string }[] {
  return readdirSync(payload.db.migrationDir)
    .filter((file) => /\.(ts|js)$/.test(file) && !/^index\.(ts|js)$/.test(file))
    .sort()
    .map((file) => ({ name: file.split('.')[0], file: path.resolve(payload.db.migrationDir, file) }))
}

/**
 * Which migrations `up` (the pending ones, in order) or `down` (the last batch, newest first) would run: the same
 * choice Payload's migrate and migrateDown make.
 */
export async function plannedMigrations({ payload, direction }: DryRunArgs) {
  const files = migrationFiles(payload)
  const { existingMigrations, latestBatch } = await getMigrations({ payload })
  const ran = new Set(existingMigrations.map((migration) => migration.name))
  if (direction === 'up') return files.filter((file) => !ran.has(file.name))
  const lastBatch = existingMigrations.filter((migration) => Number(migration.batch) === latestBatch).map((migration) => migration.name)
  return files.filter((file) => lastBatch.includes(file.name)).reverse()
}

/**
 * A dry run: each planned migration's `dryRun` export reports what it would change, and nothing is written (not
 * even the payload-migrations record). A migration without a dryRun export is listed as such.
 */
export async function dryRunMigrations({ payload, direction }: DryRunArgs) {
  const results: { name: string; reports: MigrationReport[] | undefined }[] = []
  for (const { name, file } of await plannedMigrations({ payload, direction })) {
    const migration = (await import(pathToFileURL(file).href)) as MigrationModule
    results.push({ name, reports: migration.dryRun ? await migration.dryRun({ payload, direction }) : undefined })
  }
  return results
}

/**
 * Builds every index the collections declare (and, on MongoDB, the text and vector search indexes), waiting for
 * each, so a database is complete when `npm run migrate` returns. Otherwise mongoose would build them in the
 * background once the app starts, and a unique index such as scenes (project, episode, sceneNumber) would be
 * missing until then.
 */
export async function ensureDeclaredIndexes({ payload, engine }: { payload: Payload; engine: DatabaseEngine | undefined }) {
  const models = [...Object.values(payload.db.collections), ...Object.values(payload.db.versions ?? {})]
  for (const model of models) await model.createIndexes()
  await ensureAppIndexes(payload, engine)
  await ensureSearchIndexes(payload, engine)
}

/**
 * One audit entry per migration applied (`up`) or reversed (`down`): a system entry naming the migration, written
 * after the batch succeeded (Payload records the batch in payload-migrations; the audit log says it happened beside
 * what people and workers did).
 */
export async function auditMigrations({ payload, names, direction }: { payload: Payload; names: string[]; direction: 'up' | 'down' }) {
  const req = await createLocalReq({}, payload)
  for (const name of names) {
    await recordAudit({ req, entry: { operation: 'migrate', collection: internalSlugs.migrations, documentId: name, changedFields: [direction] }, withRequest: false })
  }
}
