import type { Field, Payload, SanitizedCollectionConfig } from 'payload'

import { internalSlugs, slugs } from '../model/slugs'
import type { DatabaseEngine } from './engine'

import { atlasTextIndexes, mediaVectorIndex, TEXT_INDEX_NAME, textIndexes } from '../search/searchIndexes'
import { setSearchCapabilities } from './searchCapabilities'

export type IndexKey = Record<string, 1 | -1 | 'text'>
export type ExpectedIndex = { collection: string; key: IndexKey; unique: boolean; needs: 'any' | 'mongodb' }

/**
 * The collections sharded by project (docs/OPERATIONS.md, Sharding): every query the app sends on them names the
 * project (proven by tests/int/db/queryShapes.int.spec.ts), so their indexes start with `project`.
 */
export const projectScopedCollections: readonly string[] = [
  slugs.episodes,
  slugs.characters,
  slugs.scenes,
  slugs.media,
  slugs.sessions,
  slugs.tasks,
]

/**
 * Indexes the list reads sort on, beyond what Payload declares (its compound indexes are ascending only, and it
 * appends `createdAt` descending to every sort as the tie-breaker). Each starts with `project`, so a list goes to one
 * shard and comes out of the index in order: no in-memory sort (proven by tests/int/db/queryShapes.int.spec.ts).
 * The worker's queue order is in src/queue/queueStore.ts (queueIndexes).
 */
export const readIndexes: { collection: string; key: Record<string, 1 | -1> }[] = [
  // a person's projects, newest first or last changed first (the dashboard): the access rule's $or (own, or
  // collaborating) is planned branch by branch
  { collection: 'projects', key: { createdBy: 1, createdAt: -1 } },
  { collection: 'projects', key: { collaborators: 1, createdAt: -1 } },
  { collection: 'projects', key: { createdBy: 1, updatedAt: -1, createdAt: -1 } },
  { collection: 'projects', key: { collaborators: 1, updatedAt: -1, createdAt: -1 } },
  { collection: 'episodes', key: { project: 1, createdAt: -1 } },
  // a project's episodes in natural order, and the highest number (src/records/numbering.ts reads it backwards)
  { collection: 'episodes', key: { project: 1, episodeNumber: 1, createdAt: -1 } },
  { collection: 'scenes', key: { project: 1, createdAt: -1 } },
  // a project's scenes in natural order (the collection's default sort: scene number, then newest)
  { collection: 'scenes', key: { project: 1, sceneNumber: 1, createdAt: -1 } },
  // an episode's scenes in natural order (GET /api/v1/episodes/{id}/scenes) and its highest number (read backwards):
  // the unique (project, episode, sceneNumber) orders by number but not by Payload's createdAt tie-breaker after it
  { collection: 'scenes', key: { project: 1, episode: 1, sceneNumber: 1, createdAt: -1 } },
  { collection: 'characters', key: { project: 1, name: 1, createdAt: -1 } },
  // media and tasks page by keyset (src/services/keyset.ts): the id is the last sort key
  { collection: 'media', key: { project: 1, createdAt: -1, _id: -1 } },
  // the audit log, newest first, whole or of one document (unsharded, but it grows with every write); retention
  // selects and archives the oldest through the same index, read backwards
  { collection: 'audit-log', key: { createdAt: -1, _id: -1 } },
  { collection: 'audit-log', key: { collectionSlug: 1, documentId: 1, createdAt: -1, _id: -1 } },
  // a project's queue, in the worker's order (priority first, oldest first)
  { collection: 'tasks', key: { project: 1, status: 1, priority: -1, createdAt: 1, _id: 1 } },
  // the shard key's index (db:shard-plan), and a deleted project's or episode's finished tasks archived in _id order
  { collection: 'tasks', key: { project: 1, _id: 1 } },
  // a person's conversations, last active first
  { collection: 'sessions', key: { user: 1, updatedAt: -1, createdAt: -1 } },
  // the templates of an app's stage by name
  { collection: 'prompt-templates', key: { app: 1, stage: 1, name: 1, createdAt: -1 } },
  // a project's prompt executions, newest first, whatever else the list filters on (status, model, template)
  { collection: 'prompts-executed', key: { projectId: 1, createdAt: -1 } },
  // the first account (src/collections/Users/hooks/keepSingleFirstAdmin.ts), on every sign-up
  { collection: 'users', key: { createdAt: 1, _id: 1 } },
  // Payload's API-key sign-in, on every worker request: $or over the key's two digests, each a point on apiKeyIndex
  // (Payload declares no index on it), sorted by its createdAt tie-breaker
  { collection: 'users', key: { apiKeyIndex: 1, createdAt: -1 } },
  // Payload drops a document's edit locks whenever the document is deleted, by { relationTo, value }: its own
  // index on `document` (the whole sub-document) cannot serve a query on the sub-fields
  { collection: 'payload-locked-documents', key: { 'document.value': 1, 'document.relationTo': 1 } },
  // Payload drops a user's preferences when the user is deleted, by { relationTo, value } (same reason)
  { collection: 'payload-preferences', key: { 'user.value': 1, 'user.relationTo': 1 } },
]

/**
 * How a relationship or upload field is indexed beyond what its collection config declares: `byProject` (a compound
 * { project, field } on a collection sharded by project, where every lookup names the project), `alone` (a
 * single-field index on an unsharded collection), or an exemption with its reason. Fields the config indexes itself
 * (`index: true`, the data design's named indexes) need no entry. tests/int/db/relationshipIndexes.int.spec.ts walks
 * the config and fails on a relationship or upload field that is neither indexed nor exempt: a new field is one
 * line here (a polymorphic one, stored as { relationTo, value }, by its `<field>.value` path).
 */
export type RelationshipIndex = 'byProject' | 'alone' | { exempt: string }

export const relationshipIndexes: Record<string, Record<string, RelationshipIndex>> = {
  [slugs.projects]: {
    // "where is this medium used": a style reference, across the owner's projects
    styleReferences: 'alone',
  },
  [slugs.episodes]: {
    'metadata.finalVideo': 'byProject',
    'metadata.thumbnail': 'byProject',
    'metadata.subtitles': 'byProject',
  },
  [slugs.scenes]: {
    'storyboard.panels.image': 'byProject',
    'production.videoSegment': 'byProject',
    'production.audioTrack': 'byProject',
    'production.sceneCut': 'byProject',
  },
  [slugs.characters]: {
    'profile.relationships.characterId': 'byProject',
    'visualDesign.referenceImages': 'byProject',
    'visualDesign.finalDesign': 'byProject',
    'voiceProfile.audioSample': 'byProject',
    'appearances.episodeId': {
      exempt:
        'a derived figure (src/records/derivedFigures/characterAppearances.ts) read only through its character; which ' +
        "characters appear in an episode is asked of the scenes (scenes.characters, scenes.script.dialogue.character)",
    },
    'appearances.sceneIds': {
      exempt: "a derived figure read only through its character; a scene's cast is scenes.characters (indexed)",
    },
  },
  [slugs.media]: {
    character: 'byProject',
    'relatedElements.characters': 'byProject',
  },
  [slugs.tasks]: {
    'input.promptId': 'byProject',
    // input.dependencies: queueIndexes (src/queue/queueStore.ts) — the claim and the archive look it up across projects
    'output.mediaId': 'byProject',
  },
  [slugs.promptsExecuted]: {
    templateId: 'alone',
  },
  [slugs.sessions]: {
    'contextData.currentEpisode': 'byProject',
    'contextData.currentScene': 'byProject',
    'contextData.focusCharacter': 'byProject',
  },
  [internalSlugs.lockedDocuments]: {
    user: {
      exempt:
        "Payload's own lock collection: one row per document open in the admin, looked up by document and globalSlug " +
        '(indexed), never by user',
    },
  },
}

/** The indexes relationshipIndexes asks for, as keys. */
export function relationshipIndexKeys(): { collection: string; key: Record<string, 1> }[] {
  return Object.entries(relationshipIndexes).flatMap(([collection, fields]) =>
    Object.entries(fields).flatMap(([path, plan]) =>
      plan === 'byProject'
        ? [{ collection, key: { project: 1 as const, [path]: 1 as const } }]
        : plan === 'alone'
          ? [{ collection, key: { [path]: 1 as const } }]
          : [],
    ),
  )
}

/** The indexes the app builds itself beside Payload's: readIndexes and relationshipIndexKeys(). */
export const appIndexes = (): { collection: string; key: Record<string, 1 | -1> }[] => [...readIndexes, ...relationshipIndexKeys()]

/**
 * Indexes of raw collections the app writes through the driver (outside Payload's config). Their owners build the
 * unique ones before first use (numbering, scene order, session messages, the task archive); ensureAppIndexes builds
 * them all at start-up, and the plan (src/ops/indexPlan.ts) checks them. `ttlSeconds`: a MongoDB TTL index (FerretDB
 * v1 has none: there it is a plain index and `npm run retention` sweeps with it).
 */
export type RawIndex = { collection: string; key: Record<string, 1 | -1>; unique?: boolean; ttlSeconds?: number; name?: string }

/** How long a number reservation is kept: a create holds one for at most 30 s (src/records/numbering.ts). */
export const NUMBER_RESERVATION_TTL_SECONDS = 60 * 60
/** Write tickets (src/records/writeTickets.ts) are needed until their write is read by every later writer: a day is ample. */
export const WRITE_TICKET_TTL_SECONDS = 86_400

export const rawIndexes: RawIndex[] = [
  { collection: 'number-reservations', key: { scope: 1, number: 1 }, unique: true },
  // Retention of reservations is time-based and nothing reads an old one: a TTL index on MongoDB.
  { collection: 'number-reservations', key: { reservedAt: 1 }, ttlSeconds: NUMBER_RESERVATION_TTL_SECONDS },
  { collection: 'scene-order-locks', key: { episode: 1, generation: 1 }, unique: true },
  { collection: 'session-messages', key: { session: 1, seq: 1 }, unique: true, name: 'session_seq' },
  { collection: 'session-messages', key: { session: 1, key: 1 }, unique: true, name: 'session_key' },
  // Write tickets (src/records/writeTickets.ts) are read by _id; old ones are dropped by age on MongoDB.
  { collection: 'write-tickets', key: { takenAt: 1 }, ttlSeconds: WRITE_TICKET_TTL_SECONDS },
  // the overview sums a project's archived tasks (src/services/projectOverview.ts)
  { collection: 'tasks_archive', key: { project: 1 } },
  // a prompt template's version history, newest first (Payload's versions collection; its own index is parent alone)
  { collection: '_prompt-templates_versions', key: { parent: 1, updatedAt: -1, createdAt: -1 } },
]

/** createIndex options of a raw index on this engine: TTL only where the engine has it. */
export function rawIndexOptions(index: RawIndex, engine: DatabaseEngine | undefined): { unique?: boolean; expireAfterSeconds?: number; name?: string } {
  return {
    // the name its owner gives it (an index cannot be built twice under two names)
    ...(index.name ? { name: index.name } : {}),
    ...(index.unique ? { unique: true } : {}),
    ...(index.ttlSeconds !== undefined && engine?.kind === 'mongodb' ? { expireAfterSeconds: index.ttlSeconds } : {}),
  }
}

/**
 * Builds appIndexes and rawIndexes (createIndex is idempotent; both engines accept them). On MongoDB each build is
 * online (4.2+ builds never block the collection); `npm run migrate` builds the same set on an existing database.
 */
export async function ensureAppIndexes(payload: Payload, engine: DatabaseEngine | undefined) {
  for (const { collection, key } of appIndexes()) await payload.db.collections[collection].collection.createIndex(key)
  const db = payload.db.connection.db!
  for (const index of rawIndexes) await db.collection(index.collection).createIndex(index.key, rawIndexOptions(index, engine))
}

/**
 * Every index the collections declare (field `index`/`unique`, compound `indexes`, Payload's createdAt), the app's
 * (appIndexes: read and relationship indexes) and the text indexes, for the given collections. The full plan, raw
 * collections and the task engine included, is indexPlan in src/ops/indexPlan.ts.
 */
export function expectedIndexes(collections: SanitizedCollectionConfig[]): ExpectedIndex[] {
  const expected: ExpectedIndex[] = []
  for (const collection of collections) {
    const add = (key: IndexKey, unique = false, needs: ExpectedIndex['needs'] = 'any') =>
      expected.push({ collection: collection.slug, key, unique, needs })
    add({ _id: 1 }, true)
    walkFields(collection.fields, '', (path, field) => {
      if ('unique' in field && field.unique) add({ [path]: 1 }, true)
      else if ('index' in field && field.index) add({ [path]: 1 })
    })
    for (const index of collection.indexes ?? []) {
      add(Object.fromEntries(index.fields.map((field) => [field, 1])), Boolean(index.unique))
    }
  }
  const slugSet = new Set<string>(collections.map((collection) => collection.slug))
  for (const { collection, key } of appIndexes()) if (slugSet.has(collection)) expected.push({ collection, key, unique: false, needs: 'any' })
  for (const { collection, key } of textIndexes) if (slugSet.has(collection)) expected.push({ collection, key, unique: false, needs: 'mongodb' })
  return dedupe(expected)
}

export function walkFields(fields: Field[], prefix: string, visit: (path: string, field: Field) => void) {
  const join = (name: string) => (prefix ? `${prefix}.${name}` : name)
  for (const field of fields) {
    if (field.type === 'tabs') {
      for (const tab of field.tabs) walkFields(tab.fields, 'name' in tab && tab.name ? join(tab.name) : prefix, visit)
    } else if ('name' in field && field.name) {
      visit(join(field.name), field)
      if (field.type === 'group' || field.type === 'array') walkFields(field.fields, join(field.name), visit)
    } else if ('fields' in field) {
      // rows and collapsibles lay fields out without nesting their data
      walkFields(field.fields, prefix, visit)
    }
  }
}

function dedupe(indexes: ExpectedIndex[]): ExpectedIndex[] {
  const seen = new Map<string, ExpectedIndex>()
  for (const index of indexes) {
    const id = `${index.collection} ${keyId(index.key)}`
    const existing = seen.get(id)
    if (!existing || index.unique) seen.set(id, index)
  }
  return [...seen.values()]
}

export function keyId(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}:${direction}`)
    .join(',')
}

/**
 * Creates the indexes mongoose cannot declare for us (text indexes, and on Atlas or MongoDB 8.2+ with search the
 * vector index and, with SEARCH_BACKEND=atlas, the Atlas Search text indexes), and records what search can use.
 */
export async function ensureSearchIndexes(payload: Payload, engine: DatabaseEngine | undefined) {
  if (engine?.kind !== 'mongodb') {
    setSearchCapabilities({ engine, hasTextIndexes: false, hasAtlasSearch: false, hasVectorIndex: false })
    payload.logger.info({
      msg: `Skipping text and vector search indexes: ${engine ? 'FerretDB v1 has neither (search uses its fallbacks)' : 'engine unknown'}.`,
    })
    return
  }
  for (const { collection, key, weights } of textIndexes) {
    const native = payload.db.collections[collection].collection
    // MongoDB allows one text index per collection: drop an older one over other fields (title_text, name_text).
    for (const index of await native.listIndexes().toArray()) {
      if (index.key?._fts === 'text' && index.name !== TEXT_INDEX_NAME) await native.dropIndex(index.name)
    }
    await native.createIndex(key, { name: TEXT_INDEX_NAME, weights, default_language: 'english' })
  }
  const hasVectorIndex = await ensureAtlasSearchIndex(payload, {
    collection: mediaVectorIndex.collection,
    name: mediaVectorIndex.name,
    type: 'vectorSearch',
    definition: mediaVectorIndex.definition(),
  })
  let hasAtlasSearch = false
  if (process.env.SEARCH_BACKEND === 'atlas') {
    hasAtlasSearch = true
    for (const index of atlasTextIndexes()) {
      hasAtlasSearch = (await ensureAtlasSearchIndex(payload, { ...index, type: 'search' })) && hasAtlasSearch
    }
  }
  setSearchCapabilities({ engine, hasTextIndexes: true, hasAtlasSearch, hasVectorIndex })
}

/** Creates an Atlas Search / Vector Search index unless it exists; false when this MongoDB has no search (mongot). */
async function ensureAtlasSearchIndex(
  payload: Payload,
  { collection, name, type, definition }: { collection: string; name: string; type: 'search' | 'vectorSearch'; definition: Record<string, unknown> },
): Promise<boolean> {
  const native = payload.db.collections[collection].collection
  try {
    const existing = await native.listSearchIndexes(name).toArray()
    if (existing.length === 0) {
      await native.createSearchIndex({ name, type, definition })
      payload.logger.info({ msg: `Created ${type} index ${name} on ${collection}` })
    }
    return true
  } catch (err) {
    payload.logger.info({ msg: `${type} index ${name} on ${collection} not created: this MongoDB has no Atlas Search (${(err as Error).message}).` })
    return false
  }
}

export type IndexReport = {
  collection: string
  key: string
  unique: boolean
  state: 'present' | 'missing' | 'not-supported'
}

type IndexLister = (collection: string) => Promise<{ key: Record<string, unknown>; unique?: boolean }[]>

/**
 * Compares the expected indexes with what the database has. A text index shows in listIndexes as
 * { _fts: 'text', _ftsx: 1 }, so text keys are matched on the text index's weights instead.
 */
export async function compareIndexes({
  expected,
  listIndexes,
  engine,
}: {
  expected: ExpectedIndex[]
  listIndexes: IndexLister
  engine: DatabaseEngine
}): Promise<IndexReport[]> {
  const actualByCollection = new Map<string, Awaited<ReturnType<IndexLister>>>()
  const report: IndexReport[] = []
  for (const index of expected) {
    if (!actualByCollection.has(index.collection)) actualByCollection.set(index.collection, await listIndexes(index.collection))
    const actual = actualByCollection.get(index.collection)!
    const wanted = keyId(index.key)
    const isText = Object.values(index.key).includes('text')
    const found = actual.some((candidate) =>
      isText
        ? keyId(textKeyOf(candidate)) === wanted
        : keyId(candidate.key) === wanted && (!index.unique || candidate.unique || wanted === '_id:1'),
    )
    const state = found ? 'present' : index.needs === 'mongodb' && engine.kind !== 'mongodb' ? 'not-supported' : 'missing'
    report.push({ collection: index.collection, key: wanted, unique: index.unique, state })
  }
  return report
}

function textKeyOf(index: { key: Record<string, unknown>; weights?: Record<string, unknown> }): Record<string, unknown> {
  if (index.key._fts !== 'text' || !index.weights) return {}
  return Object.fromEntries(Object.keys(index.weights).map((field) => [field, 'text']))
}
