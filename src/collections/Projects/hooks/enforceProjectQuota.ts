import type { CollectionBeforeChangeHook } from 'payload'

import { areQuotasEnforced, loadOwner } from '../../../access/quotaOwner'
import { QuotaExceeded, resolveQuotas } from '../../../access/quotas'
import { relationId } from '../../../access/utilities'
import { slugs } from '../../slugs'

/**
 * Subscription limits on projects (src/access/quotas.ts): creating one beyond the owner's `maxProjects`, or setting
 * `projectSettings.qualityTier: premium` without the `premium-quality` feature, answers 403 naming the limit and
 * stores nothing.
 */
export const enforceProjectQuota: CollectionBeforeChangeHook = async ({ data, operation, originalDoc, req }) => {
  if (!areQuotasEnforced(req)) return data
  const ownerId = relationId(data.createdBy ?? originalDoc?.createdBy) ?? relationId(req.user?.id)
  const owner = await loadOwner(req, ownerId)
  const quotas = resolveQuotas(owner as Parameters<typeof resolveQuotas>[0])

  const isPremium = data.projectSettings?.qualityTier === 'premium'
  const wasPremium = originalDoc?.projectSettings?.qualityTier === 'premium'
  if (isPremium && !wasPremium && !quotas.features.includes('premium-quality')) {
    throw new QuotaExceeded({ limit: 'features', value: 'premium-quality', detail: 'qualityTier "premium" needs the premium-quality feature' })
  }

  if (operation === 'create') {
    // overrideAccess: counting the owner's projects is a system check, whatever the caller may read.
    const { totalDocs } = await req.payload.count({
      collection: slugs.projects,
      where: { createdBy: { equals: ownerId } },
      overrideAccess: true,
      req,
    })
    if (totalDocs >= quotas.maxProjects) {
      throw new QuotaExceeded({ limit: 'maxProjects', value: quotas.maxProjects, detail: `at most ${quotas.maxProjects} projects` })
    }
  }
  return data
}
