import type { PayloadRequest, Where } from 'payload'

import { slugs } from '../../model/slugs'
import type { Episode } from '../../payload-types'
import { completedSceneStatuses, episodeProduction, renderedSceneStatuses } from '../../domain/progress'
import { relationId } from '../../model/references'
import { converge, outsideTransaction, sameJson } from './converge'
import { recomputeProjectProgress } from './projectProgress'

// Episode production: sceneCount, completedScenes, renderProgress from its scenes (three indexed counts)

export async function recomputeEpisodeProduction({
  req: incoming,
  episodeId,
  projectId,
}: {
  req: PayloadRequest
  episodeId: string
  /** The episode's project: the counts name it, so on a sharded cluster they go to the project's shard. */
  projectId: string
}) {
  const req = outsideTransaction(incoming)
  const { payload } = req
  const countScenes = async (where: Where) =>
    (
      await payload.count({
        collection: slugs.scenes,
        where: { and: [{ project: { equals: projectId } }, { episode: { equals: episodeId } }, where] },
        // Derived figures count every scene of the episode, not the ones the caller may see.
        overrideAccess: true,
        req,
      })
    ).totalDocs
  let changed = false
  changed = await converge({
    req,
    collection: slugs.episodes,
    id: episodeId,
    compute: async () =>
      episodeProduction({
        sceneCount: await countScenes({}),
        completedScenes: await countScenes({ 'production.status': { in: completedSceneStatuses } }),
        renderedScenes: await countScenes({ 'production.status': { in: renderedSceneStatuses } }),
      }),
    read: async () => {
      const episode = await payload.findByID({
        collection: slugs.episodes,
        id: episodeId,
        select: { production: true },
        depth: 0,
        disableErrors: true,
        overrideAccess: true, // a system read of the system's own figure
        req,
      })
      if (!episode) return undefined
      const production = (episode as Episode).production ?? {}
      return {
        sceneCount: production.sceneCount ?? 0,
        completedScenes: production.completedScenes ?? 0,
        renderProgress: production.renderProgress ?? 0,
      }
    },
    write: async (production) => {
      await payload.db.updateOne({ collection: slugs.episodes, id: episodeId, data: { production }, req, returning: false })
    },
    equal: sameJson,
  })
  if (changed) {
    // Project progress follows the episodes' render progress.
    const episode = await payload.findByID({
      collection: slugs.episodes,
      id: episodeId,
      select: { project: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true,
      req,
    })
    const projectId = relationId(episode?.project)
    if (projectId) await recomputeProjectProgress({ req, projectId })
  }
}
