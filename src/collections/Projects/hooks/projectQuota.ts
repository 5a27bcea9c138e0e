import type { CollectionBeforeChangeHook } from 'payload'

import { countQuota } from '../../../records/quotas/countQuota'
import { areQuotasEnforced, loadOwner } from '../../../records/quotas/quotaOwner'
import { resolveQuotas } from '../../../domain/quotas/tiers'
import { relationId } from '../../../model/references'
import { QuotaExceededError } from '../../../errors'
import { slugs } from '../../../model/slugs'

/** Projects count against their owner's `maxProjects`. */
export const projectCountQuota = countQuota({
  collection: slugs.projects,
  limit: 'maxProjects',
  describe: (max) => `at most ${max} projects`,
  scopeOf: async (req, doc) => {
    const ownerId = relationId(doc.createdBy) ?? relationId(req.user?.id)
    return { ownerId, where: { createdBy: { equals: ownerId } } }
  },
})

/**
 * Subscription limits on projects (src/domain/quotas/tiers.ts): creating one beyond the owner's `maxProjects`, or setting
 * `projectSettings.qualityTier: premium` without the `premium-quality` feature, answers 403 naming the limit and
 * stores nothing.
 */
export const enforceProjectQuota: CollectionBeforeChangeHook = async ({ data, operation, originalDoc, req }) => {
  if (!areQuotasEnforced(req)) return data
  const createdBy = data.createdBy ?? originalDoc?.createdBy
  // A hand-over (an accepted ownership invitation) holds the new owner to their own quota and tier.
  const changesOwner = operation === 'update' && relationId(data.createdBy) !== undefined && relationId(data.createdBy) !== relationId(originalDoc?.createdBy)
  const isPremium = (data.projectSettings?.qualityTier ?? originalDoc?.projectSettings?.qualityTier) === 'premium'
  const wasPremium = originalDoc?.projectSettings?.qualityTier === 'premium'
  if (isPremium && (!wasPremium || changesOwner)) {
    const owner = await loadOwner(req, relationId(createdBy) ?? relationId(req.user?.id))
    if (!resolveQuotas(owner as Parameters<typeof resolveQuotas>[0]).features.includes('premium-quality')) {
      throw new QuotaExceededError({ limit: 'features', value: 'premium-quality', detail: 'qualityTier "premium" needs the premium-quality feature' })
    }
  }
  if (operation === 'create' || changesOwner) await projectCountQuota.check(req, { createdBy })
  return data
}
