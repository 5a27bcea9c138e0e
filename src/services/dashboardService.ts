import type { Media, Project, Scene } from '../payload-types'
import type { Actor } from './actor'

import { episodeStatuses, taskStatuses } from '../model/options'
import { slugs } from '../model/slugs'
import { requireUser } from './actor'
import { asCaller } from './collectionService'

export const DASHBOARD_LIMITS = { projects: 12, scenesAwaitingReview: 8, recentMedia: 8 } as const
const dashboardTaskStatuses = ['queued', 'processing', 'failed'] as const satisfies readonly (typeof taskStatuses)[number][]

export type Dashboard = {
  projects: Pick<Project, 'id' | 'title' | 'status' | 'progress'>[]
  episodesByStatus: Record<(typeof episodeStatuses)[number], number>
  scenesAwaitingReview: { total: number; scenes: Pick<Scene, 'id' | 'title' | 'sceneNumber' | 'episode'>[] }
  tasksByStatus: Record<(typeof dashboardTaskStatuses)[number], number>
  recentMedia: Pick<Media, 'id' | 'filename' | 'mediaType' | 'mimeType' | 'url' | 'sizes' | 'alt' | 'agentGenerated'>[]
}

/**
 * The signed-in user's admin dashboard: their projects with progress, episodes counted by status, scenes awaiting
 * review, queued/processing/failed tasks and the newest images — every figure read as the caller, so it counts
 * only what their access lets them read. A fixed number of queries (one per count) whatever the data's size.
 */
async function build({ actor }: { actor: Actor }): Promise<Dashboard> {
  const { payload } = requireUser(actor)
  const caller = asCaller(actor)
  const [projects, episodeCounts, awaitingReview, taskCounts, recentMedia] = await Promise.all([
    payload.find({
      collection: slugs.projects,
      sort: '-updatedAt',
      limit: DASHBOARD_LIMITS.projects,
      depth: 0,
      select: { title: true, status: true, progress: true },
      ...caller,
    }),
    Promise.all(
      episodeStatuses.map((status) => payload.count({ collection: slugs.episodes, where: { status: { equals: status } }, ...caller })),
    ),
    payload.find({
      collection: slugs.scenes,
      where: { 'production.status': { equals: 'reviewing' } },
      sort: '-updatedAt',
      limit: DASHBOARD_LIMITS.scenesAwaitingReview,
      depth: 0,
      select: { title: true, sceneNumber: true, episode: true },
      ...caller,
    }),
    Promise.all(
      dashboardTaskStatuses.map((status) => payload.count({ collection: slugs.tasks, where: { status: { equals: status } }, ...caller })),
    ),
    payload.find({
      collection: slugs.media,
      where: { mimeType: { like: 'image/' } },
      sort: '-createdAt',
      limit: DASHBOARD_LIMITS.recentMedia,
      depth: 0,
      select: { filename: true, mediaType: true, mimeType: true, url: true, sizes: true, alt: true, agentGenerated: true },
      ...caller,
    }),
  ])
  return {
    projects: projects.docs,
    episodesByStatus: Object.fromEntries(episodeStatuses.map((status, index) => [status, episodeCounts[index].totalDocs])) as Dashboard['episodesByStatus'],
    scenesAwaitingReview: { total: awaitingReview.totalDocs, scenes: awaitingReview.docs },
    tasksByStatus: Object.fromEntries(dashboardTaskStatuses.map((status, index) => [status, taskCounts[index].totalDocs])) as Dashboard['tasksByStatus'],
    recentMedia: recentMedia.docs,
  }
}

export const dashboardService = { build }
