import type { CollectionBeforeChangeHook } from 'payload'

import { slotQuota } from '../../../records/quotas/quotaSlots'
import { relationId } from '../../../model/references'
import { slugs } from '../../../model/slugs'

/** Episodes hold one of their project's `maxEpisodesPerProject` quota slots, the limit set by its owner (src/records/quotas/quotaSlots.ts). */
export const episodeSlots = slotQuota({
  collection: slugs.episodes,
  quota: 'maxEpisodesPerProject',
  describe: (max) => `at most ${max} episodes per project`,
  scopeOf: (doc) => {
    const projectId = relationId(doc.project)
    return projectId ? { key: projectId, where: { project: { equals: projectId } } } : null
  },
  ownerOf: async (req, doc) => {
    // overrideAccess: the project's owner decides the quota, a system lookup.
    const project = await req.payload.findByID({ collection: slugs.projects, id: relationId(doc.project)!, depth: 0, overrideAccess: true, disableErrors: true, req })
    return relationId(project?.createdBy)
  },
})

/** Creating an episode beyond the project owner's `maxEpisodesPerProject` answers 403 naming the limit. */
export const enforceEpisodeQuota: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  episodeSlots.takeOnWrite(req, operation === 'create' ? data : null)
  return data
}
