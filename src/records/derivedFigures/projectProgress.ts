import type { PayloadRequest } from 'payload'

import { slugs } from '../../model/slugs'
import { cacheTags, getCache } from '../../lib/cache'
import type { Episode, Project } from '../../payload-types'
import { projectProgress } from '../../domain/progress'
import { converge, outsideTransaction, sameJson } from './converge'

// Project progress: overallProgress, completedSteps from its episodes (at most episodeCount ≤ 50, read by the
// indexed project field, only status and render progress)

export async function recomputeProjectProgress({ req: incoming, projectId }: { req: PayloadRequest; projectId: string }) {
  const req = outsideTransaction(incoming)
  const { payload } = req
  const readProject = () =>
    payload.findByID({
      collection: slugs.projects,
      id: projectId,
      select: { episodeCount: true, progress: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true, // a system read of the system's own figure
      req,
    }) as Promise<Pick<Project, 'episodeCount' | 'progress'> | null>
  const changed = await converge({
    req,
    collection: slugs.projects,
    id: projectId,
    compute: async () => {
      const project = await readProject()
      if (!project) return undefined
      const { docs } = await payload.find({
        collection: slugs.episodes,
        where: { project: { equals: projectId } },
        select: { status: true, production: { renderProgress: true } },
        depth: 0,
        pagination: false,
        // Progress covers every episode of the project, not the ones the caller may see.
        overrideAccess: true,
        req,
      })
      return projectProgress({
        episodeCount: project.episodeCount ?? 0,
        episodes: (docs as Episode[]).map((episode) => ({
          // Stored episodes always have a status (validation refuses an empty one); 'planning' is its default.
          status: episode.status ?? 'planning',
          renderProgress: episode.production?.renderProgress ?? 0,
        })),
      })
    },
    read: async () => {
      const project = await readProject()
      if (!project) return undefined
      return {
        overallProgress: project.progress?.overallProgress ?? 0,
        completedSteps: (project.progress?.completedSteps ?? []) as ReturnType<typeof projectProgress>['completedSteps'],
      }
    },
    write: async (figure) => {
      await payload.db.updateOne({
        collection: slugs.projects,
        id: projectId,
        // Dotted paths: only the derived members of the group; currentPhase is the caller's.
        data: { 'progress.overallProgress': figure.overallProgress, 'progress.completedSteps': figure.completedSteps },
        req,
        returning: false,
      })
    },
    equal: sameJson,
  })
  if (changed) await getCache().invalidate({ tags: [cacheTags.project(projectId)] })
}
