import type { CollectionBeforeChangeHook } from 'payload'

import { areQuotasEnforced, loadOwner } from '../../../access/quotaOwner'
import { QuotaExceeded, resolveQuotas } from '../../../access/quotas'
import { relationId } from '../../../access/utilities'
import { slugs } from '../../slugs'

/** Creating an episode beyond the project owner's `maxEpisodesPerProject` answers 403 naming the limit. */
export const enforceEpisodeQuota: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create' || !areQuotasEnforced(req)) return data
  const projectId = relationId(data.project)
  if (!projectId) return data
  // overrideAccess: the project's owner and episode count are system lookups for the quota.
  const project = await req.payload.findByID({ collection: slugs.projects, id: projectId, depth: 0, overrideAccess: true, disableErrors: true, req })
  if (!project) return data
  const quotas = resolveQuotas((await loadOwner(req, relationId(project.createdBy))) as Parameters<typeof resolveQuotas>[0])
  const { totalDocs } = await req.payload.count({
    collection: slugs.episodes,
    where: { project: { equals: projectId } },
    overrideAccess: true,
    req,
  })
  if (totalDocs >= quotas.maxEpisodesPerProject) {
    throw new QuotaExceeded({
      limit: 'maxEpisodesPerProject',
      value: quotas.maxEpisodesPerProject,
      detail: `at most ${quotas.maxEpisodesPerProject} episodes per project`,
    })
  }
  return data
}
