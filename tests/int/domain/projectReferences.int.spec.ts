import type { Field, Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { slugs } from '../../../src/model/slugs'
import { embeddingHandler } from '../../../src/worker/handlers/embeddingHandler'
import { TaskInputError } from '../../../src/errors'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { loose } from '../../helpers/loose'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 19 item 4: every reference a document holds belongs to its project. Walks every relationship of every
 * project-scoped collection of the running config (a relationship added later is covered without a change here)
 * and writes another project's document into it, on create and on update, as a member and as an admin: each is a
 * 400 on that field. Then the references tasks keep outside relationship fields (input.parameters.mediaId) and the
 * embedding handler, which writes with system rights.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: any, admin: any, X: string, Y: string
const foreign: Record<string, string> = {}
const local: Record<string, string> = {}

const as = (user: any) => ({ user: { ...user, collection: 'users', _strategy: 'local-jwt' }, overrideAccess: false as const, depth: 0 })

/** The top-level data fields (through rows, collapsibles and unnamed tabs, which hold no data of their own). */
const topLevel = (fields: Field[]): Field[] =>
  fields.flatMap((f) => ('name' in f && f.name ? [f] : 'fields' in f && Array.isArray(f.fields) ? topLevel(f.fields) : f.type === 'tabs' ? f.tabs.flatMap((t) => ('name' in t && t.name ? [] : topLevel(t.fields))) : []))

/** The collections whose documents belong to a project, and the field that says which. */
const projectFieldOf = (fields: Field[]) => {
  const names = topLevel(fields).map((f) => ('name' in f ? f.name : ''))
  return names.includes('project') ? 'project' : names.includes('projectId') ? 'projectId' : undefined
}

type Reference = { path: string[]; arrays: boolean[]; relationTo: string; hasMany: boolean }

function relationships(fields: Field[], path: string[] = [], arrays: boolean[] = []): Reference[] {
  const out: Reference[] = []
  for (const field of fields) {
    const named = 'name' in field && field.name ? [...path, field.name] : path
    const isArray = field.type === 'array'
    const marks = 'name' in field && field.name ? [...arrays, isArray] : arrays
    if ((field.type === 'relationship' || field.type === 'upload') && typeof field.relationTo === 'string') {
      out.push({ path: named, arrays: marks, relationTo: field.relationTo, hasMany: Boolean('hasMany' in field && field.hasMany) })
    }
    if ('fields' in field && Array.isArray(field.fields)) out.push(...relationships(field.fields, named, marks))
    if (field.type === 'tabs') for (const tab of field.tabs) out.push(...relationships(tab.fields, 'name' in tab && tab.name ? [...path, tab.name] : path, arrays))
  }
  return out
}

/** The write that sets one reference: `{ a: [{ b: value }] }` for path a.b where a is an array (rows hold it). */
function nest(ref: Reference, value: unknown): Record<string, unknown> {
  const build = (i: number): unknown => {
    if (i === ref.path.length) return ref.hasMany ? [value] : value
    const child = build(i + 1)
    return { [ref.path[i]!]: ref.arrays[i] && i < ref.path.length - 1 ? [child] : child }
  }
  return build(0) as Record<string, unknown>
}

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('project-references'))
  const make = fixtures(payload)
  admin = await make.user({ role: 'admin' })
  owner = await make.user({ subscription: { tier: 'enterprise' } })
  X = String((await make.project(owner.id, { episodeCount: 50 })).id)
  Y = String((await make.project(owner.id, { episodeCount: 50 })).id) // the same owner: only the project decides, not the caller's rights
  for (const [map, project] of [
    [local, X],
    [foreign, Y],
  ] as const) {
    const episode = await make.episode(project, 1)
    map[slugs.episodes] = String(episode.id)
    map[slugs.scenes] = String((await make.scene(project, String(episode.id), 1)).id)
    map[slugs.characters] = String((await make.character(project)).id)
    map[slugs.media] = String((await payload.create({ collection: slugs.media, data: { project, mediaType: 'concept_art' } as never, file: await pngFile(8, 8, `ref-${project}.png`) })).id)
    map[slugs.tasks] = String((await payload.create({ collection: slugs.tasks, data: { project, taskType: 'image_generation' } as never })).id)
    map[slugs.promptsExecuted] = String((await payload.create({ collection: slugs.promptsExecuted, data: { projectId: project, status: 'success' } as never })).id)
    map[slugs.sessions] = String((await payload.create({ collection: slugs.sessions, data: { project, user: owner.id } as never })).id)
  }
})
afterAll(async () => {
  const media = await payload?.find({ collection: slugs.media, pagination: false, depth: 0 })
  for (const doc of media?.docs ?? []) await payload.delete({ collection: slugs.media, id: doc.id })
  await cleanup?.()
})

let n = 100
let episodeNumber = 1
/** A minimal valid document of a collection in project X. */
const baseData = (slug: string): Record<string, unknown> => {
  switch (slug) {
    case slugs.episodes:
      return { project: X, episodeNumber: ++episodeNumber, title: 'E' }
    case slugs.scenes:
      return { project: X, episode: local[slugs.episodes], sceneNumber: ++n, title: 'S' }
    case slugs.characters:
      return { project: X, name: `C${++n}` }
    case slugs.tasks:
      return { project: X, taskType: 'image_generation' }
    case slugs.sessions:
      return { project: X, user: owner.id }
    case slugs.promptsExecuted:
      return { projectId: X, status: 'success' }
    case slugs.media:
      return { project: X, mediaType: 'concept_art' }
    default:
      return { project: X }
  }
}

const errorPaths = (error: any): string[] => (error?.data?.errors ?? []).map((e: any) => String(e.path ?? e.field ?? ''))
const refusedOn = (error: any, ref: Reference) => {
  const wanted = ref.path.join('.')
  return errorPaths(error).some((path) => path.replace(/\.\d+/g, '') === wanted)
}

/**
 * The write is refused with a 400 on the field, or (a field the collection derives itself, such as a character's
 * appearances) the stored document does not hold the foreign id: either way no reference leaves the project.
 */
async function expectRefusedOrDropped(slug: string, result: any, ref: Reference, label: string) {
  if (result instanceof Error) {
    expect((result as any).status, `${label}: ${result?.message}`).toBe(400)
    expect(refusedOn(result, ref), `${label}: ${JSON.stringify(errorPaths(result))}`).toBe(true)
    return
  }
  const stored = await payload.findByID({ collection: slug as never, id: result.id, depth: 0 })
  expect(JSON.stringify(stored), `${label}: stored`).not.toContain(foreign[ref.relationTo])
}

describe('every relationship of every project-scoped collection', () => {
  it('refuses another project’s document on create and update, for members and admins (400 on the field)', async () => {
    const checked: string[] = []
    const scoped = new Set(payload.config.collections.filter((c) => projectFieldOf(c.fields)).map((c) => c.slug))
    for (const collection of payload.config.collections) {
      if (!projectFieldOf(collection.fields) || collection.slug === slugs.projectInvitations) continue
      const refs = relationships(collection.fields).filter((ref) => scoped.has(ref.relationTo as never) && foreign[ref.relationTo])
      for (const ref of refs) {
        for (const user of [owner, admin]) {
          const isMedia = collection.slug === slugs.media
          const file = isMedia ? { file: await pngFile(8, 8, `ref-${++n}.png`) } : {}
          const label = `${collection.slug}.${ref.path.join('.')} as ${user.role}`
          const created = await loose(payload)
            .create({ collection: collection.slug, data: { ...baseData(collection.slug), ...nest(ref, foreign[ref.relationTo]) }, ...file, ...as(user) })
            .catch((error: any) => error)
          await expectRefusedOrDropped(collection.slug, created, ref, `create ${label}`)
          const doc = await loose(payload).create({
            collection: collection.slug,
            data: baseData(collection.slug),
            ...(isMedia ? { file: await pngFile(8, 8, `ref-${++n}.png`) } : {}),
          })
          const updated = await loose(payload)
            .update({ collection: collection.slug, id: doc.id, data: nest(ref, foreign[ref.relationTo]), ...as(user) })
            .catch((error: any) => error)
          await expectRefusedOrDropped(collection.slug, updated, ref, `update ${label}`)
        }
        checked.push(`${collection.slug}.${ref.path.join('.')}`)
      }
    }
    // The task references of the issue are among them.
    expect(checked).toEqual(expect.arrayContaining(['tasks.output.mediaId', 'tasks.input.promptId', 'tasks.input.dependencies', 'tasks.episode']))
  })
})

describe('task references outside relationship fields', () => {
  it('input.parameters.mediaId names media of the task’s project (create and update)', async () => {
    const refused = await loose(payload)
      .create({ collection: slugs.tasks, data: { project: X, taskType: 'embedding_generation', input: { parameters: { mediaId: foreign[slugs.media], text: 'hi' } } }, ...as(owner) })
      .catch((error: any) => error)
    expect(refused.status).toBe(400)
    expect(errorPaths(refused)).toContain('input.parameters.mediaId')
    expect(JSON.stringify(refused.data)).not.toContain(Y)
    const task = await loose(payload).create({
      collection: slugs.tasks,
      data: { project: X, taskType: 'embedding_generation', input: { parameters: { mediaId: local[slugs.media], text: 'hi' } } },
      ...as(owner),
    })
    const moved = await loose(payload)
      .update({ collection: slugs.tasks, id: task.id, data: { input: { parameters: { mediaId: foreign[slugs.media], text: 'hi' } } }, ...as(owner) })
      .catch((error: any) => error)
    expect(moved.status).toBe(400)
  })

  it('the embedding handler refuses to write media of another project, before any provider call', async () => {
    // A task stored with a foreign media id (written past the collection, as an old document could be).
    const task = await payload.create({ collection: slugs.tasks, data: { project: X, taskType: 'embedding_generation' } as never })
    await payload.db.collections[slugs.tasks].collection.updateOne(
      { _id: new (await import('mongoose')).Types.ObjectId(String(task.id)) },
      { $set: { 'input.parameters': { mediaId: foreign[slugs.media], text: 'overwrite', dimensions: 512 } } },
    )
    const stored = await payload.findByID({ collection: slugs.tasks, id: task.id, depth: 0 })
    const before = await payload.findByID({ collection: slugs.media, id: foreign[slugs.media]!, depth: 0 })
    const error = await embeddingHandler.run({ task: stored, context: { payload } as never }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskInputError)
    expect((error as Error).message).toContain('does not exist in this task')
    const after = await payload.findByID({ collection: slugs.media, id: foreign[slugs.media]!, depth: 0 })
    expect(after.updatedAt).toBe(before.updatedAt)
  })
})
