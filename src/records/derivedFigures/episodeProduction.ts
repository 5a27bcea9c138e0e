import type { PayloadRequest } from 'payload'

import { Types } from 'mongoose'

import { slugs } from '../../model/slugs'
import type { Episode } from '../../payload-types'
import { completedSceneStatuses, type EpisodeProduction, episodeProduction, renderedSceneStatuses } from '../../domain/progress'
import { converge, outsideTransaction, sameJson } from './converge'
import { recomputeProjectProgress } from './projectProgress'

// Episode production: sceneCount, completedScenes, renderProgress from its scenes (one indexed count per status)

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
  /**
   * The episode's scenes counted per production status in one aggregation over the (project, episode) index: one
   * command instead of a count per figure. Every scene of the episode, not the ones the caller may see. Through the
   * adapter's model without a session: counted from committed data, like the rest of the recompute.
   */
  const countScenesByStatus = async () => {
    const groups = (await payload.db.collections[slugs.scenes].aggregate([
      { $match: { project: new Types.ObjectId(projectId), episode: new Types.ObjectId(episodeId) } },
      { $group: { _id: '$production.status', count: { $sum: 1 } } },
    ])) as { _id: string | null; count: number }[]
    const countOf = (statuses: readonly string[]) => groups.filter((group) => statuses.includes(String(group._id))).reduce((sum, group) => sum + group.count, 0)
    return episodeProduction({
      sceneCount: groups.reduce((sum, group) => sum + group.count, 0),
      completedScenes: countOf(completedSceneStatuses),
      renderedScenes: countOf(renderedSceneStatuses),
    })
  }
  let before: EpisodeProduction | undefined
  let after: EpisodeProduction | undefined
  let changed = false
  changed = await converge({
    req,
    collection: slugs.episodes,
    id: episodeId,
    compute: async () => (after = await countScenesByStatus()),
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
      const stored = {
        sceneCount: production.sceneCount ?? 0,
        completedScenes: production.completedScenes ?? 0,
        renderProgress: production.renderProgress ?? 0,
      }
      before ??= stored
      return stored
    },
    write: async (production) => {
      await payload.db.updateOne({ collection: slugs.episodes, id: episodeId, data: { production }, req, returning: false })
    },
    equal: sameJson,
  })
  // Project progress follows the episodes' statuses and render progress: only a change of the latter concerns it here
  // (an episode's status change recomputes it from the episode's own hook).
  if (changed && before && after && before.renderProgress !== after.renderProgress) await recomputeProjectProgress({ req, projectId })
}
