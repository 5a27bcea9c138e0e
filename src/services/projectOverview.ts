import type { Payload } from 'payload'

import { Types } from 'mongoose'

import type { Character, Episode, Media, Project, Task } from '../payload-types'
import type { Actor } from './actor'

import { slugs } from '../collections/slugs'
import { asCaller, localApi } from './collectionService'

export const OVERVIEW_LIMITS = { episodes: 50, characters: 50, media: 10, openTasks: 20 } as const
const openStatuses = ['queued', 'processing'] as const

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
}

type SceneCount = { _id: { episode: Types.ObjectId | string; status: string | null }; count: number }
type TaskTotals = { _id: { status: string | null; cost?: number | null }; count: number }

/**
 * Everything a project dashboard shows, in a fixed number of queries whatever the project's size: the episodes,
 * one aggregation counting scenes per episode and status, the characters, the latest media, the open tasks and one
 * aggregation totalling task counts and cost. The lists run as the caller; the two aggregations read the raw
 * collections, an explicit bypass of access that is safe only because the caller was just shown to see the project
 * and project-scoped documents follow their project's visibility.
 */
export async function buildProjectOverview({ actor, project }: { actor: Actor; project: Project }): Promise<ProjectOverview> {
  const local = localApi(actor.payload)
  const byProject = { project: { equals: project.id } }
  const [episodes, sceneCounts, characters, media, openTasks, taskTotals] = await Promise.all([
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
      where: { ...byProject, status: { in: [...openStatuses] } },
      sort: ['-priority', 'createdAt'],
      limit: OVERVIEW_LIMITS.openTasks,
      pagination: false,
      select: { taskType: true, status: true, priority: true, episode: true, scene: true, createdAt: true },
      depth: 0,
      ...asCaller(actor),
    }),
    aggregate<TaskTotals>(actor.payload, slugs.tasks, [
      { $match: { project: new Types.ObjectId(project.id) } },
      // Grouped by (status, cost) and summed here: FerretDB v1 ignores dotted paths inside $sum (it yields 0).
      { $group: { _id: { status: '$status', cost: '$output.metrics.cost' }, count: { $sum: 1 } } },
    ]),
  ])

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
      total: round2(taskTotals.reduce((sum, row) => sum + (Number(row._id.cost) || 0) * row.count, 0)),
      completedTasks: taskTotals.filter((row) => row._id.status === 'completed').reduce((sum, row) => sum + row.count, 0),
      openTasks: taskTotals
        .filter((row) => (openStatuses as readonly (string | null)[]).includes(row._id.status))
        .reduce((sum, row) => sum + row.count, 0),
    },
  }
}

async function aggregate<T>(payload: Payload, slug: string, pipeline: Record<string, unknown>[]): Promise<T[]> {
  return (await payload.db.collections[slug].aggregate(pipeline as never[]).exec()) as T[]
}

const round2 = (value: number) => Math.round(value * 100) / 100
