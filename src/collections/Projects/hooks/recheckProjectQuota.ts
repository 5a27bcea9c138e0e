import type { CollectionAfterChangeHook } from 'payload'

import { areQuotasEnforced, loadOwner } from '../../../access/quotaOwner'
import { resolveQuotas } from '../../../access/quotas'
import { recheckQuotaAfterInsert } from '../../../access/recheckQuotaAfterInsert'
import { relationId } from '../../../access/utilities'
import { slugs } from '../../slugs'

/** Second half of enforceProjectQuota, for creates that raced past its count (see recheckQuotaAfterInsert). */
export const recheckProjectQuota: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create' || !areQuotasEnforced(req)) return doc
  const ownerId = relationId(doc.createdBy)
  const quotas = resolveQuotas((await loadOwner(req, ownerId)) as Parameters<typeof resolveQuotas>[0])
  await recheckQuotaAfterInsert({
    req,
    collection: slugs.projects,
    where: { createdBy: { equals: ownerId } },
    docId: doc.id,
    limit: quotas.maxProjects,
    quota: 'maxProjects',
    detail: `at most ${quotas.maxProjects} projects`,
  })
  return doc
}
