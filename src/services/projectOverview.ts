import type { Payload } from 'payload'

import { Types } from 'mongoose'

import type { Character, Episode, Media, Project, Task } from '../payload-types'
import type { Actor } from './actor'

import { openTaskStatuses } from '../model/options'
import { type DatabaseEngine, engineOfDb } from '../db/engine'
import { TASK_ARCHIVE_COLLECTION } from '../queue/taskArchive'
import { slugs } from '../model/slugs'
import { asCaller } from './collectionService'

export const OVERVIEW_LIMITS = { episodes: 50, characters: 50, media: 10, openTasks: 20 } as const

export type ProjectOverview = {
  project: Project
  episodes: (Pick<Episode, 'id' | 'episodeNumber' | 'title' | 'status'> & {
    sceneCount: number
    completedScenes: number
    progress: number
    renderProgress: number
  })[]
  characters: Pick<Character, 'id' | 'name' | 'description'>[]
  latestMedia: Pick<Media, 'id' | 'filename' | 'mediaType' | 'status' | 'url' | 'thumbnailURL' | 'createdAt'>[]
  openTasks: Pick<Task, 'id' | 'taskType' | 'status' | 'priority' | 'episode' | 'scene' | 'createdAt'>[]
  cost: { total: number; completedTasks: number; openTasks: number }
  /** Cost, tokens and processing time from the tasks' output.metrics, summed per task type and per episode. */
  usage: {
    total: UsageFigures
    byTaskType: (UsageFigures & { taskType: string })[]
    byEpisode: (UsageFigures & { episode: string | null })[]
  }
}

export type UsageFigures = { tasks: number; cost: number; tokensUsed: number; processingTime: number }

type SceneCount = { _id: { episode: Types.ObjectId | string; status: string | null }; count: number }
export type TaskTotals = {
  _id: { status: string | null; taskType: string; episode: Types.ObjectId | string | null }
  count: number
  cost: number | null
  tokensUsed: number | null
  processingTime: number | null
}

type ByValue = { _id: TaskTotals['_id'] & { cost?: unknown; tokensUsed?: unknown; processingTime?: unknown }; count: number }

/**
 * The aggregation totalling a project's tasks per status, type and episode with their metrics (`output.metrics`).
 * On MongoDB the server sums. FerretDB v1 ignores dotted paths inside $sum (and treats `$output.metrics.cost` in
 * $project as a string), so there the metric values join the group key and `totalsFromRows` multiplies each row
 * out: more rows, same sums.
 */
export function taskMetricsPipeline({ projectId, engine }: { projectId: string; engine: DatabaseEngine['kind'] }): Record<string, unknown>[] {
  const match = { $match: { project: new Types.ObjectId(projectId) } }
  const key = { status: '$status', taskType: '$taskType', episode: '$episode' }
  if (engine === 'mongodb') {
    return [
      match,
      {
        $group: {
          _id: key,
          count: { $sum: 1 },
          cost: { $sum: '$output.metrics.cost' },
          tokensUsed: { $sum: '$output.metrics.tokensUsed' },
          processingTime: { $sum: '$output.metrics.processingTime' },
        },
      },
    ]
  }
  return [
    match,
    {
      $group: {
        _id: { ...key, cost: '$output.metrics.cost', tokensUsed: '$output.metrics.tokensUsed', processingTime: '$output.metrics.processingTime' },
        count: { $sum: 1 },
      },
    },
  ]
}

/** The pipeline's rows as totals per status, type and episode (on FerretDB: each row's values times its count). */
export function totalsFromRows(engine: DatabaseEngine['kind'], rows: unknown[]): TaskTotals[] {
  if (engine === 'mongodb') return rows as TaskTotals[]
  return (rows as ByValue[]).map(({ _id: { cost, tokensUsed, processingTime, ...group }, count }) => ({
    _id: group,
    count,
    cost: (Number(cost) || 0) * count,
    tokensUsed: (Number(tokensUsed) || 0) * count,
    processingTime: (Number(processingTime) || 0) * count,
  }))
}

/** One aggregation over the live (or the archived) tasks of the project, summed per status, type and episode. */
async function sumTaskMetrics(payload: Payload, projectId: string, { archived = false } = {}): Promise<TaskTotals[]> {
  const db = payload.db.connection.db!
  const collection = archived ? db.collection(TASK_ARCHIVE_COLLECTION) : payload.db.collections[slugs.tasks].collection
  const { kind } = await engineOfDb(db)
  return totalsFromRows(kind, await collection.aggregate(taskMetricsPipeline({ projectId, engine: kind })).toArray())
}

/**
 * Everything a project dashboard shows, in a fixed number of queries whatever the project's size: the episodes,
 * one aggregation counting scenes per episode and status, the characters, the latest media, the open tasks and one
 * aggregation totalling task counts and cost. The lists run as the caller; the two aggregations read the raw
 * collections, an explicit bypass of access that is safe only because the caller was just shown to see the project
 * and project-scoped documents follow their project's visibility.
 */
export async function buildProjectOverview({ actor, project }: { actor: Actor; project: Project }): Promise<ProjectOverview> {
  const local = actor.payload
  const byProject = { project: { equals: project.id } }
  const [episodes, sceneCounts, characters, media, openTasks, liveTotals, archivedTotals] = await Promise.all([
    local.find({
      collection: slugs.episodes,
      where: byProject,
      sort: 'episodeNumber',
      limit: OVERVIEW_LIMITS.episodes,
      pagination: false,
      select: { episodeNumber: true, title: true, status: true, production: { renderProgress: true } },
      depth: 0,
      ...asCaller(actor),
    }),
    aggregate<SceneCount>(actor.payload, slugs.scenes, [
      { $match: { project: new Types.ObjectId(project.id) } },
      { $group: { _id: { episode: '$episode', status: '$production.status' }, count: { $sum: 1 } } },
    ]),
    local.find({
      collection: slugs.characters,
      where: byProject,
      sort: 'name',
      limit: OVERVIEW_LIMITS.characters,
      pagination: false,
      select: { name: true, description: true },
      depth: 0,
      ...asCaller(actor),
    }),
    local.find({
      collection: slugs.media,
      where: byProject,
      sort: '-createdAt',
      limit: OVERVIEW_LIMITS.media,
      pagination: false,
      select: { filename: true, mediaType: true, status: true, url: true, thumbnailURL: true, createdAt: true },
      depth: 0,
      ...asCaller(actor),
    }),
    local.find({
      collection: slugs.tasks,
      where: { ...byProject, status: { in: [...openTaskStatuses] } },
      sort: ['-priority', 'createdAt'],
      limit: OVERVIEW_LIMITS.openTasks,
      pagination: false,
      select: { taskType: true, status: true, priority: true, episode: true, scene: true, createdAt: true },
      depth: 0,
      ...asCaller(actor),
    }),
    sumTaskMetrics(actor.payload, project.id),
    sumTaskMetrics(actor.payload, project.id, { archived: true }),
  ])

  // Archived tasks (npm run tasks:archive) are finished tasks of the project too: their cost still counts.
  const taskTotals = [...liveTotals, ...archivedTotals]
  const scenesByEpisode = new Map<string, { total: number; completed: number }>()
  for (const { _id, count } of sceneCounts) {
    const key = String(_id.episode)
    const counts = scenesByEpisode.get(key) ?? { total: 0, completed: 0 }
    counts.total += count
    if (_id.status === 'approved') counts.completed += count
    scenesByEpisode.set(key, counts)
  }

  return {
    project,
    episodes: (episodes.docs as Episode[]).map((episode) => {
      const counts = scenesByEpisode.get(episode.id) ?? { total: 0, completed: 0 }
      return {
        id: episode.id,
        episodeNumber: episode.episodeNumber,
        title: episode.title,
        status: episode.status,
        sceneCount: counts.total,
        completedScenes: counts.completed,
        progress: counts.total === 0 ? 0 : Math.round((counts.completed / counts.total) * 100),
        renderProgress: episode.production?.renderProgress ?? 0,
      }
    }),
    characters: characters.docs as ProjectOverview['characters'],
    latestMedia: media.docs as ProjectOverview['latestMedia'],
    openTasks: openTasks.docs as ProjectOverview['openTasks'],
    cost: {
      total: round2(taskTotals.reduce((sum, row) => sum + (Number(row.cost) || 0), 0)),
      completedTasks: taskTotals.filter((row) => row._id.status === 'completed').reduce((sum, row) => sum + row.count, 0),
      openTasks: taskTotals
        .filter((row) => (openTaskStatuses as readonly (string | null)[]).includes(row._id.status))
        .reduce((sum, row) => sum + row.count, 0),
    },
    usage: sumUsage(taskTotals),
  }
}

/**
 * Usage per task type and per episode, summed here from the grouped rows of every task of the project (recomputed
 * on each read, never kept as a running total: FerretDB loses concurrent $inc).
 */
export function sumUsage(rows: TaskTotals[]): ProjectOverview['usage'] {
  const empty = (): UsageFigures => ({ tasks: 0, cost: 0, tokensUsed: 0, processingTime: 0 })
  const total = empty()
  const byTaskType = new Map<string, UsageFigures>()
  const byEpisode = new Map<string | null, UsageFigures>()
  for (const row of rows) {
    const episode = row._id.episode ? String(row._id.episode) : null
    for (const figures of [
      total,
      byTaskType.get(row._id.taskType) ?? byTaskType.set(row._id.taskType, empty()).get(row._id.taskType)!,
      byEpisode.get(episode) ?? byEpisode.set(episode, empty()).get(episode)!,
    ]) {
      figures.tasks += row.count
      figures.cost += Number(row.cost) || 0
      figures.tokensUsed += Number(row.tokensUsed) || 0
      figures.processingTime += Number(row.processingTime) || 0
    }
  }
  const rounded = (figures: UsageFigures): UsageFigures => ({
    ...figures,
    // Sub-cent provider prices add up in floating point; six places keep them without the noise.
    cost: Math.round(figures.cost * 1e6) / 1e6,
    processingTime: Math.round(figures.processingTime * 1000) / 1000,
  })
  return {
    total: rounded(total),
    byTaskType: [...byTaskType].sort(([a], [b]) => a.localeCompare(b)).map(([taskType, figures]) => ({ taskType, ...rounded(figures) })),
    byEpisode: [...byEpisode]
      .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''))
      .map(([episode, figures]) => ({ episode, ...rounded(figures) })),
  }
}

async function aggregate<T>(payload: Payload, slug: string, pipeline: Record<string, unknown>[]): Promise<T[]> {
  return (await payload.db.collections[slug].aggregate(pipeline as never[]).exec()) as T[]
}

const round2 = (value: number) => Math.round(value * 100) / 100
