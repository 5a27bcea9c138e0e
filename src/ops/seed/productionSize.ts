import type { Payload } from 'payload'

import { Types } from 'mongoose'
import { randomBytes } from 'node:crypto'
import { copyFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { createLocalReq } from 'payload'

import type { Episode, Media, Project, Scene, Task, User } from '../../payload-types'

import { UNIQUE_CLAIMS } from '../../db/globalUniques'
import { slugs } from '../../model/slugs'
import { createTaskQueue } from '../../queue'
import { recomputeEpisodeProduction, recomputeProjectProgress } from '../../records/derivedFigures'

const { ObjectId } = Types

/** What `npm run seed -- --scale` (no number) builds beside the demo: one series at production size (issue #23). */
export type ProductionSize = { episodes: number; scenesPerEpisode: number; media: number; tasks: number }

/** 10 episodes × 60 scenes, 5,000 media, 20,000 tasks (most finished) — the size docs/OPERATIONS.md measures at. */
export const PRODUCTION_SIZE: ProductionSize = { episodes: 10, scenesPerEpisode: 60, media: 5_000, tasks: 20_000 }

/**
 * SEED_PRODUCTION_SIZE='{"episodes":2,"scenesPerEpisode":3,"media":10,"tasks":20}' shrinks the production size (the
 * test of the seed builds the same shape at a size that runs in seconds). Unset: PRODUCTION_SIZE.
 */
export function productionSizeFromEnv(value = process.env.SEED_PRODUCTION_SIZE): ProductionSize {
  if (!value) return PRODUCTION_SIZE
  const parsed = JSON.parse(value) as Partial<ProductionSize>
  const size = { ...PRODUCTION_SIZE, ...parsed }
  for (const [key, n] of Object.entries(size)) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`SEED_PRODUCTION_SIZE: ${key} must be a whole number ≥ 1 (got ${JSON.stringify(n)})`)
  }
  return size
}

/** Raw inserts go in batches of this many documents (one command each). */
const BATCH = 1_000

/** Progress-bar steps of seedProductionSeries: one per episode and one per batch of media and of tasks. */
export const productionSeriesSteps = (size: ProductionSize) => size.episodes + Math.ceil((size.media - 1) / BATCH) + Math.ceil((size.tasks - 2) / BATCH)
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The series at production size. The first document of each kind goes through the Local API (hooks, numbering,
 * state machines, claims, stored files), and the rest are copies of it inserted in batches through the raw driver,
 * with what must differ per document set as the app would set it (ids, numbers, titles, stored file names and their
 * unique-name claims, dates). The derived figures the copies change (episode production, project progress) are
 * recomputed at the end by the same code the hooks use. System code acting for ops: access overridden.
 */
export async function seedProductionSeries({
  payload,
  owner,
  asOps,
  size,
  count,
  step,
}: {
  payload: Payload
  owner: User
  asOps: { overrideAccess: true; user: User }
  size: ProductionSize
  count: (slug: string, n?: number) => void
  step: (n?: number) => void
}) {
  const db = payload.db.connection.db!
  const project = (await payload.create({
    collection: slugs.projects,
    data: {
      title: 'The Long Voyage',
      description: 'A production-size series: a generation ship, ten episodes, the crew that keeps it flying.',
      genre: 'sci-fi',
      targetAudience: 'adult',
      episodeCount: size.episodes,
      createdBy: owner.id,
      projectSettings: { aspectRatio: '16:9', episodeDuration: 22, qualityTier: 'standard' },
    } as never,
    depth: 0,
    ...asOps,
  })) as Project
  count('projects')

  // Scenes: per episode, one scene made through the Local API and walked to `approved`, one left in `draft`; the
  // rest are copies of the two, alternating, so the episode's figures have something to count.
  const episodes: Episode[] = []
  for (let e = 1; e <= size.episodes; e++) {
    const episode = (await payload.create({
      collection: slugs.episodes,
      data: { project: project.id, title: `Episode ${e}`, synopsis: { logline: `The Long Voyage, part ${e}.` } } as never,
      depth: 0,
      ...asOps,
    })) as Episode
    episodes.push(episode)
    count('episodes')
    const templates: Scene[] = []
    for (const status of [['generating', 'reviewing', 'approved'], []] as const) {
      if (templates.length >= size.scenesPerEpisode) break
      const scene = (await payload.create({
        collection: slugs.scenes,
        data: {
          project: project.id,
          episode: episode.id,
          title: `Episode ${e}, scene ${templates.length + 1}`,
          script: { action: 'The corridor lights dim as the ship turns; the crew braces.' },
          location: 'Spine corridor',
          timeOfDay: 'night',
        } as never,
        depth: 0,
        ...asOps,
      })) as Scene
      for (const next of status) await payload.update({ collection: slugs.scenes, id: scene.id, data: { production: { status: next } } as never, depth: 0, ...asOps })
      templates.push(scene)
    }
    const stored = await db.collection(slugs.scenes).find({ _id: { $in: templates.map((scene) => new ObjectId(scene.id)) } }).toArray()
    // In the templates' order: odd numbers are approved, even ones drafts.
    const rawTemplates = templates.map((scene) => stored.find((doc) => String(doc._id) === scene.id)!)
    const copies = []
    for (let n = templates.length + 1; n <= size.scenesPerEpisode; n++) {
      const { _id, ...template } = rawTemplates[(n - 1) % rawTemplates.length]
      const at = new Date()
      copies.push({ ...template, _id: new ObjectId(), sceneNumber: n, title: `Episode ${e}, scene ${n}`, createdAt: at, updatedAt: at })
    }
    await insertInBatches(db.collection(slugs.scenes), copies)
    count('scenes', size.scenesPerEpisode)
    step()
  }

  // Media: one storyboard image uploaded through the Local API; the copies get names of their own (the file and
  // its sizes copied under them when storage is the local folder) and the claims that keep names unique.
  const first = (await payload.create({
    collection: slugs.media,
    data: { project: project.id, episode: episodes[0].id, mediaType: 'storyboard', alt: 'Storyboard 1', createdBy: owner.id } as never,
    file: await storyboardImage(),
    depth: 0,
    ...asOps,
  })) as Media
  count('media')
  const mediaTemplate = (await db.collection(slugs.media).findOne({ _id: new ObjectId(first.id) }))!
  const prefix = String(first.filename).split('-')[0]
  const staticDir = payload.collections[slugs.media].config.upload.staticDir
  const storedFiles = staticDir ? (await readdir(staticDir).catch(() => [] as string[])).filter((name) => name.startsWith(`${prefix}-`)) : []
  for (let offset = 1; offset < size.media; offset += BATCH) {
    const docs = []
    const claims = []
    for (let n = offset; n < Math.min(offset + BATCH, size.media); n++) {
      const renamed = prefix + randomBytes(4).toString('hex')
      const { _id, ...template } = JSON.parse(JSON.stringify(mediaTemplate).replaceAll(`${prefix}-`, `${renamed}-`)) as Record<string, unknown>
      const id = new ObjectId()
      const at = new Date()
      docs.push({
        ...template,
        ...refsOf(mediaTemplate),
        _id: id,
        episode: new ObjectId(episodes[n % episodes.length].id),
        alt: `Storyboard ${n + 1}`,
        createdAt: at,
        updatedAt: at,
      })
      claims.push({ _id: `media.filename:${String(template.filename)}`, claimedAt: at, holder: id.toHexString() })
      for (const name of storedFiles) await copyFile(path.join(staticDir!, name), path.join(staticDir!, name.replace(`${prefix}-`, `${renamed}-`)))
    }
    await db.collection(UNIQUE_CLAIMS).insertMany(claims as never[], { ordered: false })
    await db.collection(slugs.media).insertMany(docs, { ordered: false })
    count('media', docs.length)
    step()
  }

  // Tasks: one run through the task engine to `completed`, one to `failed`; the copies are spread over the last
  // 90 days (so `npm run tasks:archive -- --older-than 30d` has work), nineteen in twenty completed.
  const queue = createTaskQueue({ payload, leaseMs: 60_000 })
  const settledTask = async (settle: (taskId: string, attempt: number) => Promise<unknown>) => {
    const task = (await payload.create({
      collection: slugs.tasks,
      data: { project: project.id, episode: episodes[0].id, taskType: 'image_generation', priority: 10, input: { parameters: { style: 'voyage' } } } as never,
      depth: 0,
      ...asOps,
    })) as Task
    const claimed = await queue.claim({ workerId: 'seed-production', types: ['image_generation'] })
    if (!claimed || claimed.task.id !== task.id) throw new Error('The seed could not claim its own task (is a worker running against this database?)')
    await settle(task.id, claimed.attempt)
    return (await db.collection(slugs.tasks).findOne({ _id: new ObjectId(task.id) }))!
  }
  const completed = await settledTask((taskId, attempt) =>
    queue.complete({ taskId, attempt, workerId: 'seed-production', output: { result: { note: 'storyboard rendered' }, metrics: { cost: 0.04, tokensUsed: 0 } } }),
  )
  const failed = await settledTask((taskId, attempt) =>
    queue.fail({ taskId, attempt, workerId: 'seed-production', error: { code: 'PROVIDER_REJECTED', message: 'Prompt refused' }, retryable: false }),
  )
  count('tasks', Math.min(2, size.tasks))
  const now = Date.now()
  for (let offset = 2; offset < size.tasks; offset += BATCH) {
    const docs = []
    for (let n = offset; n < Math.min(offset + BATCH, size.tasks); n++) {
      const { _id, ...template } = n % 20 === 0 ? failed : completed
      const at = new Date(now - Math.floor(((n * 7919) % 90_000) * (DAY_MS / 1000)))
      docs.push({ ...template, _id: new ObjectId(), episode: new ObjectId(episodes[n % episodes.length].id), createdAt: at, updatedAt: at })
    }
    await insertInBatches(db.collection(slugs.tasks), docs)
    count('tasks', docs.length)
    step()
  }

  // The figures the copies changed, recomputed by the code the hooks run.
  const req = await createLocalReq({ user: asOps.user }, payload)
  for (const episode of episodes) await recomputeEpisodeProduction({ req, episodeId: episode.id, projectId: project.id })
  await recomputeProjectProgress({ req, projectId: project.id })
  return { projectId: project.id }
}

/** A raw document's top-level ids and dates as they were (the JSON round trip above turned them into strings). */
function refsOf(doc: Record<string, unknown>) {
  const refs: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(doc)) if (value instanceof ObjectId || value instanceof Date) refs[key] = value
  return refs
}

async function insertInBatches(collection: { insertMany: (docs: never[], options: { ordered: boolean }) => Promise<unknown> }, docs: object[]) {
  for (let i = 0; i < docs.length; i += BATCH) await collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false })
}

async function storyboardImage() {
  const { default: sharp } = await import('sharp')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270"><rect width="480" height="270" fill="#0b132b"/><circle cx="240" cy="135" r="60" fill="#5bc0be"/></svg>`
  const data = await sharp(Buffer.from(svg)).png().toBuffer()
  return { data, mimetype: 'image/png', name: 'voyage-board.png', size: data.length }
}
