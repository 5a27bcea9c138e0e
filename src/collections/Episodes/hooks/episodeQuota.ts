import type { CollectionBeforeChangeHook } from 'payload'

import { countQuota } from '../../../records/quotas/countQuota'
import { relationId } from '../../../model/references'
import { slugs } from '../../../model/slugs'

/** Episodes count against their project's owner's `maxEpisodesPerProject`. */
export const episodeCountQuota = countQuota({
  collection: slugs.episodes,
  limit: 'maxEpisodesPerProject',
  describe: (max) => `at most ${max} episodes per project`,
  scopeOf: async (req, doc) => {
    const projectId = relationId(doc.project)
    if (!projectId) return null
    // overrideAccess: the project's owner decides the quota, a system lookup.
    const project = await req.payload.findByID({ collection: slugs.projects, id: projectId, depth: 0, overrideAccess: true, disableErrors: true, req })
    if (!project) return null
    return { ownerId: relationId(project.createdBy), where: { project: { equals: projectId } } }
  },
})

/** Creating an episode beyond the project owner's `maxEpisodesPerProject` answers 403 naming the limit. */
export const enforceEpisodeQuota: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation === 'create') await episodeCountQuota.check(req, data)
  return data
}
