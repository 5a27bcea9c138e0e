/**
 * `npm run db:shard-plan`: prints the mongosh commands that shard this database on a MongoDB sharded cluster or
 * Atlas, from the collections the config has (new ones are listed too), and says what stays unsharded and why.
 * It only prints; nothing connects. Exit codes: 0 printed, 1 a sharded collection has a unique index the shard key
 * cannot serve (it must be changed before sharding), 2 bad arguments.
 */
import mongoose from 'mongoose'

import { parseOrExit } from './lib/connect'

const usage = `Usage: npm run db:shard-plan -- [--database NAME]

Prints sh.enableSharding / sh.shardCollection commands for the project-scoped collections and why the others stay
unsharded. --database names the database (default: the one in DATABASE_URL — the environment, then .env — else
movie-platform). It only prints; nothing connects.
Exit codes: 0 printed, 1 a sharded collection has a unique index the shard key cannot serve, 2 bad arguments.`

const { values } = await parseOrExit({ options: { database: { type: 'string' } } }, usage)
const database =
  values.database || (process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).pathname.slice(1) : '') || 'movie-platform'
const { slugs } = await import('../src/model/slugs')
const { expectedIndexes } = await import('../src/db/indexes')
// The config is read without a database: nothing connects when DATABASE_URL is unset.
delete process.env.DATABASE_URL
const config = await (await import('../payload.config')).default

/**
 * The data design's sharded collections: everything a producer makes inside a project, read and written per
 * project. Ranged on { project: 1, _id: 1 }: every query of the app carries `project`, so each one goes to the
 * shard(s) holding that project's range; `_id` after it lets the balancer split one very large project. A hashed
 * project key would spread new projects' writes better, but MongoDB enforces a unique index on a sharded collection
 * only when it starts with the whole shard key, and cannot with a hashed one. Episodes and scenes carry per-project
 * unique numbers, so they are sharded on { project: 1 } alone: the unique (project, …) indexes start with it, and a
 * project's episodes and scenes are small (≤ 50 episodes) so one chunk per project never gets too big to move.
 */
const sharded: Record<string, { key: Record<string, 1>; why: string }> = {
  [slugs.episodes]: { key: { project: 1 }, why: 'unique (project, episodeNumber) must start with the shard key' },
  [slugs.scenes]: { key: { project: 1 }, why: 'unique (project, episode, sceneNumber) must start with the shard key' },
  // Media keeps no unique index but _id: filenames are unique across projects through unique-claims below.
  [slugs.characters]: { key: { project: 1, _id: 1 }, why: 'per-project reads; _id lets a large cast split' },
  [slugs.media]: { key: { project: 1, _id: 1 }, why: 'the largest collection (embeddings); _id lets a project split' },
  [slugs.sessions]: { key: { project: 1, _id: 1 }, why: 'per-project conversation history' },
  [slugs.tasks]: { key: { project: 1, _id: 1 }, why: "per-project task lists; workers claim across projects (a scatter-gather, docs/OPERATIONS.md)" },
}
const unshardedWhy: Record<string, string> = {
  [slugs.users]: 'small (one document per person), read by email and id on every login',
  [slugs.projects]: 'small (one document per project); it is what the others are partitioned by',
  [slugs.promptTemplates]: 'small, global, read by app and stage',
  [slugs.promptsExecuted]: 'append-only log; shard on { projectId: 1, _id: 1 } once it outgrows one shard',
  [slugs.auditLog]: 'append-only, trimmed by `npm run retention`; stays on the primary shard',
}

/** Raw collections the app writes outside Payload's config, unsharded as well. */
const rawCollections: Record<string, string> = {
  'number-reservations': 'small (one document per number being assigned; `npm run retention` trims it): episode/scene numbering',
  'scene-order-locks': 'one small document per re-ordered episode (its latest turn): src/records/sceneOrder.ts',
  'quota-slots': 'one small document per project and per episode counted against a quota, read by _id range (src/records/quotas/quotaSlots.ts)',
  'unique-claims': 'one small document per media filename: keeps filenames unique across projects, which a unique index on the sharded media cannot (src/db/globalUniques.ts)',
  task_leases: "the queue's claims, one per attempt, read by task id (workers claim across projects)",
  task_settlements: "the queue's outcomes, one per attempt, read by task id",
  task_cancel_requests: "the queue's cancellations, one per task, read by task id",
  task_reaper_turns: "the queue's reaper turns, one per period (older ones deleted): tiny",
}

const name = (slug: string, dbName?: unknown) => (dbName ? String(dbName) : mongoose.pluralize()!(slug))
const indexes = expectedIndexes(config.collections)
const lines: string[] = [`// Shard plan for database "${database}" — run in mongosh against the mongos / Atlas cluster.`, `sh.enableSharding(${JSON.stringify(database)})`, '']
const problems: string[] = []
for (const collection of config.collections) {
  const plan = sharded[collection.slug]
  const collectionName = name(collection.slug, collection.dbName)
  if (!plan) continue
  const keyFields = Object.keys(plan.key)
  lines.push(`// ${collectionName}: ${JSON.stringify(plan.key)} — ${plan.why}`)
  lines.push(`db.getSiblingDB(${JSON.stringify(database)}).getCollection(${JSON.stringify(collectionName)}).createIndex(${JSON.stringify(plan.key)})`)
  lines.push(`sh.shardCollection(${JSON.stringify(`${database}.${collectionName}`)}, ${JSON.stringify(plan.key)})`)
  for (const index of indexes.filter((i) => i.collection === collection.slug && i.unique && !('_id' in i.key && Object.keys(i.key).length === 1))) {
    const fields = Object.keys(index.key)
    if (keyFields.some((field, position) => fields[position] !== field)) {
      problems.push(`${collectionName}: unique ${JSON.stringify(index.key)} does not start with the shard key ${JSON.stringify(plan.key)}`)
    }
  }
  lines.push('')
}
lines.push('// Unsharded (they live on the primary shard):')
for (const collection of config.collections) {
  if (sharded[collection.slug]) continue
  lines.push(`//   ${name(collection.slug, collection.dbName)}: ${unshardedWhy[collection.slug] ?? (collection.slug.startsWith('payload-') ? "Payload's own bookkeeping, small" : 'not project-scoped yet: review before sharding')}`)
}
for (const [collectionName, why] of Object.entries(rawCollections)) lines.push(`//   ${collectionName}: ${why}`)
console.log(lines.join('\n'))
if (problems.length > 0) {
  console.error(`\nBefore sharding, make these unique indexes start with the shard key (a migration):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  process.exit(1)
}
process.exit(0)
