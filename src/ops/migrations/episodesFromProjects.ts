import type { ClientSession } from 'mongoose'
import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { createHash } from 'node:crypto'

import { episodeStatuses } from '../../model/options'
import { completedSceneStatuses, episodeProduction, projectProgress, renderedSceneStatuses } from '../../domain/progress'
import { startProgressBar } from '../../lib/progressBar'
import { forEachPage } from './pages'
import type { MigrationReport } from './report'

/** Marks the episodes this migration created, so `down` removes exactly those. */
export const MIGRATION_MARK = 'phase2:projects.episodes'

type LegacyEpisode = {
  episodeNumber?: unknown
  title?: unknown
  description?: unknown
  status?: unknown
  synopsis?: unknown
  script?: unknown
  createdAt?: unknown
}

type Collections = ReturnType<typeof collectionsOf>
type EpisodeStatus = (typeof episodeStatuses)[number]
type StoredEpisode = { _id: mongoose.Types.ObjectId; episodeNumber?: number; status?: EpisodeStatus; production?: { renderProgress?: number } }

function collectionsOf(payload: Payload) {
  return {
    projects: payload.db.collections.projects.collection,
    episodes: payload.db.collections.episodes.collection,
    scenes: payload.db.collections.scenes.collection,
  }
}

/**
 * The id of the episode made from entry `episodeNumber` of a project's array: derived from both, so a re-run, or
 * up → down → up, makes the very same document rather than a copy with a new id.
 */
export function migratedEpisodeId(projectId: unknown, episodeNumber: number): mongoose.Types.ObjectId {
  const digest = createHash('sha256').update(`${MIGRATION_MARK}:${String(projectId)}:${episodeNumber}`).digest('hex')
  return new mongoose.Types.ObjectId(digest.slice(0, 24))
}

/** A fixed time for the migrated episode: the entry's own, else its project's creation, so re-runs write the same. */
function creationTime(entry: LegacyEpisode, project: { _id: mongoose.Types.ObjectId; createdAt?: unknown }): Date {
  if (entry?.createdAt instanceof Date) return entry.createdAt
  if (project.createdAt instanceof Date) return project.createdAt
  return project._id.getTimestamp()
}

/**
 * Phase 2 of the data design's migration: episodes used to live in an `episodes` array on their project. Creates
 * one Episodes document per entry, renames the array to `legacyEpisodes` (the original data stays recoverable),
 * raises episodeCount to the highest number, and recomputes the derived figures it touches: each new episode's
 * production figures from its scenes, and the project's progress from all its episodes.
 *
 * Entries it cannot migrate are reported, never dropped: a number used twice in one array, or a number another
 * (hand-made) episode of the project already has. They stay in `legacyEpisodes`. With `dryRun` it reads the same
 * data and reports what it would create, writing nothing. The audit-log exemption is in docs/OPERATIONS.md.
 */
export async function moveEpisodesOutOfProjects({
  payload,
  session,
  dryRun = false,
}: {
  payload: Payload
  session?: ClientSession
  dryRun?: boolean
}): Promise<MigrationReport> {
  const { projects, episodes, scenes } = collectionsOf(payload)
  const filter = { episodes: { $exists: true } }
  const total = await projects.countDocuments(filter, { session })
  const progress = startProgressBar({ label: 'projects.episodes → episodes', total })
  const problems: string[] = []
  let changed = 0
  const migrateBatch = async (batch: LegacyProject[]) => {
    // One read of the batch's existing episodes: on FerretDB every non-_id filter scans, so fewer reads matter.
    const existing = await episodesOf({ episodes, projectIds: batch.map((project) => project._id), session })
    const toCreate: Record<string, unknown>[] = []
    const episodeCounts = new Map<string, number>()
    for (const project of batch) {
      const planned = planProject({ project, existing: existing.get(String(project._id)) ?? [], problems })
      toCreate.push(...planned.toCreate)
      episodeCounts.set(String(project._id), Math.min(50, Math.max(Number(project.episodeCount) || 1, planned.highest)))
    }
    changed += toCreate.length + batch.length
    if (dryRun) return
    // Derived figures of the new episodes, from the scenes that point at them (none, unless a down left some).
    const production = await productionByEpisode({ scenes, episodeIds: toCreate.map((doc) => doc._id as mongoose.Types.ObjectId), session })
    for (const doc of toCreate) doc.production = production.get(String(doc._id)) ?? episodeProduction({ sceneCount: 0, completedScenes: 0, renderedScenes: 0 })
    if (toCreate.length > 0) await insertEpisodes({ episodes, docs: toCreate, session, problems })
    for (const project of batch) {
      await projects.updateOne(
        { _id: project._id },
        { $rename: { episodes: 'legacyEpisodes' }, $set: { episodeCount: episodeCounts.get(String(project._id)) } },
        { session },
      )
    }
    await writeProjectProgress({ projects, episodes, episodeCounts, session })
  }
  try {
    await forEachPage<LegacyProject>({
      collection: projects,
      filter,
      projection: { episodes: 1, episodeCount: 1, createdAt: 1 },
      session,
      pageSize: PROJECT_BATCH,
      work: async (batch) => {
        await migrateBatch(batch)
        progress.advance(batch.length)
      },
    })
  } finally {
    progress.stop()
  }
  if (problems.length > 0) payload.logger.warn({ msg: `[migrate] projects.episodes: ${problems.length} entr(ies) not migrated (see the report)` })
  return { step: 'projects.episodes → episodes', changed, problems }
}

type LegacyProject = { _id: mongoose.Types.ObjectId; episodes?: unknown; episodeCount?: unknown; createdAt?: unknown }

/** Projects are migrated in batches: one read of their episodes and one recompute per batch, not per project. */
const PROJECT_BATCH = 100

/** The episodes of the given projects, grouped by project id. */
async function episodesOf({
  episodes,
  projectIds,
  session,
  extraFilter = {},
}: {
  episodes: Collections['episodes']
  projectIds: mongoose.Types.ObjectId[]
  session?: ClientSession
  extraFilter?: Record<string, unknown>
}): Promise<Map<string, StoredEpisode[]>> {
  const byProject = new Map<string, StoredEpisode[]>()
  const found = await episodes
    .find(
      { project: { $in: projectIds }, ...extraFilter },
      { projection: { project: 1, episodeNumber: 1, status: 1, 'production.renderProgress': 1 }, session },
    )
    .toArray()
  for (const episode of found as (StoredEpisode & { project: unknown })[]) {
    const key = String(episode.project)
    byProject.set(key, [...(byProject.get(key) ?? []), episode])
  }
  return byProject
}

/** Decides, for one project, which entries become episodes and which are reported. */
function planProject({ project, existing, problems }: { project: LegacyProject; existing: StoredEpisode[]; problems: string[] }) {
  const legacy: LegacyEpisode[] = Array.isArray(project.episodes) ? project.episodes : []
  const existingByNumber = new Map(existing.map((episode) => [episode.episodeNumber, episode]))
  const seenNumbers = new Set<number>()
  const toCreate: Record<string, unknown>[] = []
  let highest = 0
  for (const [index, entry] of legacy.entries()) {
    const episodeNumber =
      Number.isInteger(entry?.episodeNumber) && Number(entry.episodeNumber) > 0 ? Number(entry.episodeNumber) : index + 1
    highest = Math.max(highest, episodeNumber)
    const _id = migratedEpisodeId(project._id, episodeNumber)
    const where = `project ${String(project._id)} episodes[${index}] (number ${episodeNumber})`
    if (seenNumbers.has(episodeNumber)) {
      problems.push(`${where}: duplicate episode number in the array, kept in legacyEpisodes only`)
      continue
    }
    seenNumbers.add(episodeNumber)
    const present = existingByNumber.get(episodeNumber)
    if (present) {
      // The same id means this migration made it before (a re-run): nothing to do and nothing to report.
      if (!present._id.equals(_id)) problems.push(`${where}: episode ${String(present._id)} already has this number, kept in legacyEpisodes only`)
      continue
    }
    const createdAt = creationTime(entry, project)
    toCreate.push({
      _id,
      project: project._id,
      episodeNumber,
      title: typeof entry?.title === 'string' && entry.title ? entry.title : `Episode ${episodeNumber}`,
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
      status: episodeStatuses.includes(entry?.status as never) ? entry.status : 'planning',
      synopsis: typeof entry?.synopsis === 'object' && entry.synopsis ? entry.synopsis : {},
      script: typeof entry?.script === 'object' && entry.script ? entry.script : { version: 1 },
      metadata: {},
      migratedBy: MIGRATION_MARK,
      createdAt,
      updatedAt: createdAt,
    })
  }
  return { toCreate, highest }
}

/** Inserts a project's new episodes; an insert refused by the unique (project, episodeNumber) index is reported. */
async function insertEpisodes({
  episodes,
  docs,
  session,
  problems,
}: {
  episodes: Collections['episodes']
  docs: Record<string, unknown>[]
  session?: ClientSession
  problems: string[]
}) {
  try {
    await episodes.insertMany(docs, { session, ordered: false })
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code?: number; index?: number; err?: { index?: number } }[] }).writeErrors
    if (!writeErrors || writeErrors.some((e) => e.code !== 11000 && (e as { err?: { code?: number } }).err?.code !== 11000)) throw err
    for (const writeError of writeErrors) {
      const doc = docs[writeError.index ?? writeError.err?.index ?? -1]
      // A concurrent writer (or a hand-made episode created since the read) took the number first.
      problems.push(`project ${String(doc?.project)} episode ${String(doc?.episodeNumber)}: the number was taken meanwhile, kept in legacyEpisodes only`)
    }
  }
}

/** Production figures per episode id, counted from the scenes (one aggregation for all the given episodes). */
async function productionByEpisode({
  scenes,
  episodeIds,
  session,
}: {
  scenes: Collections['scenes']
  episodeIds: mongoose.Types.ObjectId[]
  session?: ClientSession
}) {
  const figures = new Map<string, ReturnType<typeof episodeProduction>>()
  if (episodeIds.length === 0) return figures
  // Grouped by episode and status, then folded here: FerretDB v1 has no $cond in $group.
  const rows = await scenes
    .aggregate<{ _id: { episode: unknown; status?: string }; count: number }>(
      [
        { $match: { episode: { $in: episodeIds } } },
        { $group: { _id: { episode: '$episode', status: '$production.status' }, count: { $sum: 1 } } },
      ],
      { session },
    )
    .toArray()
  const counts = new Map<string, { sceneCount: number; completedScenes: number; renderedScenes: number }>()
  for (const { _id, count } of rows) {
    const key = String(_id.episode)
    const entry = counts.get(key) ?? { sceneCount: 0, completedScenes: 0, renderedScenes: 0 }
    entry.sceneCount += count
    if (completedSceneStatuses.includes(_id.status as never)) entry.completedScenes += count
    if (renderedSceneStatuses.includes(_id.status as never)) entry.renderedScenes += count
    counts.set(key, entry)
  }
  for (const [episodeId, entry] of counts) figures.set(episodeId, episodeProduction(entry))
  return figures
}

/** Recomputes projects' progress from all their episodes (the same rule as src/records/derivedFigures/index.ts). */
async function writeProjectProgress({
  projects,
  episodes,
  episodeCounts,
  session,
}: {
  projects: Collections['projects']
  episodes: Collections['episodes']
  episodeCounts: Map<string, number>
  session?: ClientSession
}) {
  const ids = [...episodeCounts.keys()].map((id) => new mongoose.Types.ObjectId(id))
  const byProject = await episodesOf({ episodes, projectIds: ids, session })
  for (const [projectId, episodeCount] of episodeCounts) {
    const figure = projectProgress({
      episodeCount,
      episodes: (byProject.get(projectId) ?? []).map((episode) => ({
        status: episode.status ?? 'planning',
        renderProgress: episode.production?.renderProgress ?? 0,
      })),
    })
    await projects.updateOne(
      { _id: new mongoose.Types.ObjectId(projectId) },
      { $set: { 'progress.overallProgress': figure.overallProgress, 'progress.completedSteps': figure.completedSteps } },
      { session },
    )
  }
}

/**
 * Reverses moveEpisodesOutOfProjects: restores the arrays, removes the episodes it created and recomputes the
 * projects' progress. A migrated episode that scenes now point at is kept (removing it would orphan them) and
 * reported. With `dryRun` it reports what it would restore and remove.
 */
export async function restoreEpisodesIntoProjects({
  payload,
  session,
  dryRun = false,
}: {
  payload: Payload
  session?: ClientSession
  dryRun?: boolean
}): Promise<MigrationReport> {
  const { projects, episodes, scenes } = collectionsOf(payload)
  const filter = { legacyEpisodes: { $exists: true } }
  const total = await projects.countDocuments(filter, { session })
  const progress = startProgressBar({ label: 'episodes → projects.episodes', total })
  const problems: string[] = []
  let changed = 0
  const restoreBatch = async (batch: LegacyProject[]) => {
    const projectIds = batch.map((project) => project._id)
    const migrated = [...(await episodesOf({ episodes, projectIds, session, extraFilter: { migratedBy: MIGRATION_MARK } })).values()].flat()
    const ids = migrated.map((episode) => episode._id)
    const withScenes = new Set(ids.length === 0 ? [] : (await scenes.distinct('episode', { episode: { $in: ids } }, { session })).map(String))
    for (const episode of migrated) {
      if (withScenes.has(String(episode._id))) problems.push(`episode ${String(episode._id)} of project ${String((episode as { project?: unknown }).project)} has scenes: kept`)
    }
    const removable = ids.filter((id) => !withScenes.has(String(id)))
    changed += removable.length + batch.length
    if (dryRun) return
    if (removable.length > 0) await episodes.deleteMany({ _id: { $in: removable }, migratedBy: MIGRATION_MARK }, { session })
    await projects.updateMany({ _id: { $in: projectIds } }, { $rename: { legacyEpisodes: 'episodes' } }, { session })
    const episodeCounts = new Map(batch.map((project) => [String(project._id), Number(project.episodeCount) || 1]))
    await writeProjectProgress({ projects, episodes, episodeCounts, session })
  }
  try {
    await forEachPage<LegacyProject>({
      collection: projects,
      filter,
      projection: { episodeCount: 1 },
      session,
      pageSize: PROJECT_BATCH,
      work: async (batch) => {
        await restoreBatch(batch)
        progress.advance(batch.length)
      },
    })
  } finally {
    progress.stop()
  }
  return { step: 'episodes → projects.episodes', changed, problems }
}
