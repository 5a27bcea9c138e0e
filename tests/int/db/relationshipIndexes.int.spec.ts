import type { Payload, SanitizedCollectionConfig } from 'payload'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { projectScopedCollections, relationshipIndexes, walkFields } from '../../../src/db/indexes'
import { collectionNameOf, indexPlan } from '../../../src/ops/indexPlan'
import { createTestPayload } from '../../helpers/payload'

/**
 * The data design's "all foreign key relationships" indexed: every relationship and upload field of every collection
 * (inside groups, tabs and arrays too) has an index that a lookup by that field can use — its prefix up to the field
 * holds only the field and, on a collection sharded by project, `project` — or an exemption with its reason in
 * relationshipIndexes (src/db/indexes.ts).
 */
let payload: Payload
let cleanup: () => Promise<void>
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('relationship-indexes'))
})
afterAll(async () => cleanup?.())

type Finding = { collection: string; path: string; problem: string }

/** Relationship and upload fields of a collection, by data path. */
function referenceFields(collection: SanitizedCollectionConfig): string[] {
  const paths: string[] = []
  walkFields(collection.fields, '', (path, field) => {
    if (field.type === 'relationship' || field.type === 'upload') paths.push(path)
  })
  return paths
}

/**
 * The path a lookup by the field queries: a polymorphic relationship (relationTo a list) is stored as
 * { relationTo, value }, so it is looked up by `<field>.value` — an index on the whole sub-document does not serve it.
 */
function lookupPath(collection: SanitizedCollectionConfig, path: string): string {
  let polymorphic = false
  walkFields(collection.fields, '', (fieldPath, field) => {
    if (fieldPath === path && (field.type === 'relationship' || field.type === 'upload') && Array.isArray(field.relationTo)) polymorphic = true
  })
  return polymorphic ? `${path}.value` : path
}

/** Fields without an index or an exemption, and exemptions or plan entries naming no such field. */
function unindexedReferences(collections: SanitizedCollectionConfig[]): Finding[] {
  const findings: Finding[] = []
  // the full plan: what the collections declare, the app's indexes and the task engine's (src/ops/indexPlan.ts)
  const indexes = indexPlan({ collections })
  for (const collection of collections) {
    const fields = referenceFields(collection)
    const planned = relationshipIndexes[collection.slug] ?? {}
    const storedPaths = fields.map((path) => lookupPath(collection, path))
    for (const path of Object.keys(planned)) {
      if (!fields.includes(path) && !storedPaths.includes(path)) {
        findings.push({ collection: collection.slug, path, problem: 'planned, but no such relationship or upload field' })
      }
    }
    for (const path of fields) {
      // a polymorphic relationship is planned by its `.value` path (what its index must hold) or exempt by its name
      const plan = planned[path] ?? planned[lookupPath(collection, path)]
      if (plan && typeof plan === 'object') {
        if (plan.exempt.trim().length < 20) findings.push({ collection: collection.slug, path, problem: 'exempt without a reason' })
        continue
      }
      const stored = lookupPath(collection, path)
      const lookup = new Set(projectScopedCollections.includes(collection.slug) ? ['project', stored] : [stored])
      const served = indexes.some((index) => {
        if (index.collection !== collectionNameOf(collection)) return false
        const keys = Object.keys(index.key)
        const position = keys.indexOf(stored)
        return position >= 0 && keys.slice(0, position).every((key) => lookup.has(key))
      })
      if (!served) findings.push({ collection: collection.slug, path, problem: `no index with ${[...lookup].join(' + ')} as its prefix, and no exemption` })
    }
  }
  return findings
}

it('finds an index (or a documented exemption) for every relationship and upload field of every collection', () => {
  const collections = payload.config.collections
  // The walk reaches nested groups and arrays.
  const scenes = referenceFields(collections.find((collection) => collection.slug === 'scenes')!)
  expect(scenes).toEqual(expect.arrayContaining(['storyboard.panels.image', 'production.videoSegment', 'script.dialogue.character']))
  expect(unindexedReferences(collections)).toEqual([])
})

it('fails on a new relationship field until it gets an index or an exemption', () => {
  const scenes = payload.config.collections.find((collection) => collection.slug === 'scenes')!
  const production = scenes.fields.find((field) => 'name' in field && field.name === 'production') as { fields: unknown[] }
  const withNewField = {
    ...scenes,
    fields: scenes.fields.map((field) =>
      field === (production as never) ? { ...production, fields: [...production.fields, { name: 'rehearsal', type: 'upload', relationTo: 'media' }] } : field,
    ),
  } as SanitizedCollectionConfig
  const others = payload.config.collections.filter((collection) => collection !== scenes)
  expect(unindexedReferences([...others, withNewField])).toContainEqual({
    collection: 'scenes',
    path: 'production.rehearsal',
    problem: 'no index with project + production.rehearsal as its prefix, and no exemption',
  })
  // An index the collection declares on the field does (a lookup by project and field can use its prefix).
  const indexed = { ...withNewField, indexes: [...(withNewField.indexes ?? []), { fields: ['production.rehearsal'] }] } as SanitizedCollectionConfig
  expect(unindexedReferences([...others, indexed]).filter((finding) => finding.path === 'production.rehearsal')).toEqual([])
})
