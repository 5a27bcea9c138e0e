import type { CollectionAfterChangeHook } from 'payload'

import { areQuotasEnforced, loadOwner } from '../../../access/quotaOwner'
import { resolveQuotas } from '../../../access/quotas'
import { recheckQuotaAfterInsert } from '../../../access/recheckQuotaAfterInsert'
import { relationId } from '../../../access/utilities'
import { slugs } from '../../slugs'

/** Second half of enforceEpisodeQuota, for creates that raced past its count (see recheckQuotaAfterInsert). */
export const recheckEpisodeQuota: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create' || !areQuotasEnforced(req)) return doc
  const projectId = relationId(doc.project)
  if (!projectId) return doc
  // overrideAccess: the project's owner decides the quota, a system lookup.
  const project = await req.payload.findByID({ collection: slugs.projects, id: projectId, depth: 0, overrideAccess: true, disableErrors: true, req })
  if (!project) return doc
  const quotas = resolveQuotas((await loadOwner(req, relationId(project.createdBy))) as Parameters<typeof resolveQuotas>[0])
  await recheckQuotaAfterInsert({
    req,
    collection: slugs.episodes,
    where: { project: { equals: projectId } },
    docId: doc.id,
    limit: quotas.maxEpisodesPerProject,
    quota: 'maxEpisodesPerProject',
    detail: `at most ${quotas.maxEpisodesPerProject} episodes per project`,
  })
  return doc
}
