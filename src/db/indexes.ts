import type { Field, Payload, SanitizedCollectionConfig } from 'payload'

import { env } from '../lib/env'
import type { DatabaseEngine } from './engine'

export type IndexKey = Record<string, 1 | -1 | 'text'>
export type ExpectedIndex = { collection: string; key: IndexKey; unique: boolean; needs: 'any' | 'mongodb' }

/**
 * Search indexes the spec asks for beyond plain B-tree indexes. Text indexes exist on MongoDB only (FerretDB v1
 * has none), and MongoDB allows one text index per collection.
 */
export const textIndexes: { collection: string; key: IndexKey }[] = [
  { collection: 'projects', key: { title: 'text' } },
  { collection: 'characters', key: { name: 'text' } },
]

/** The Atlas Vector Search index the media similarity query ($vectorSearch) names. */
export const mediaVectorIndex = {
  collection: 'media',
  name: 'media_embedding_index',
  definition: () => ({
    fields: [{ type: 'vector', path: 'embedding', numDimensions: env.embeddingDimensions, similarity: 'cosine' }],
  }),
}

/** Every index the collections declare (field `index`/`unique`, compound `indexes`, Payload's createdAt) plus text indexes. */
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
  for (const text of textIndexes) expected.push({ ...text, unique: false, needs: 'mongodb' })
  return dedupe(expected)
}

function walkFields(fields: Field[], prefix: string, visit: (path: string, field: Field) => void) {
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

/** Creates the indexes mongoose cannot declare for us: text indexes and, on Atlas, the vector search index. */
export async function ensureSearchIndexes(payload: Payload, engine: DatabaseEngine | undefined) {
  if (engine?.kind !== 'mongodb') {
    payload.logger.info({
      msg: `Skipping text and vector search indexes: ${engine ? 'FerretDB v1 has neither' : 'engine unknown'}.`,
    })
    return
  }
  for (const { collection, key } of textIndexes) {
    const model = payload.db.collections[collection]
    await model.collection.createIndex(key, { name: `${Object.keys(key).join('_')}_text` })
  }
  const media = payload.db.collections[mediaVectorIndex.collection].collection
  try {
    const existing = await media.listSearchIndexes(mediaVectorIndex.name).toArray()
    if (existing.length === 0) {
      await media.createSearchIndex({ name: mediaVectorIndex.name, type: 'vectorSearch', definition: mediaVectorIndex.definition() })
      payload.logger.info({ msg: `Created Atlas vector search index ${mediaVectorIndex.name}` })
    }
  } catch (err) {
    payload.logger.info({
      msg: `Vector search index ${mediaVectorIndex.name} not created: this MongoDB has no Atlas Search (${(err as Error).message}).`,
    })
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
