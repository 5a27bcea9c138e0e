import type { CollectionBeforeChangeHook } from 'payload'

import { areQuotasEnforced, loadOwner } from '../../../records/quotas/quotaOwner'
import { slotQuota } from '../../../records/quotas/quotaSlots'
import { resolveQuotas } from '../../../domain/quotas/tiers'
import { relationId } from '../../../model/references'
import { QuotaExceededError } from '../../../errors'
import { slugs } from '../../../model/slugs'

/** Projects hold one of their owner's `maxProjects` quota slots (src/records/quotas/quotaSlots.ts). */
export const projectSlots = slotQuota({
  collection: slugs.projects,
  quota: 'maxProjects',
  describe: (max) => `at most ${max} projects`,
  scopeOf: (doc) => {
    const ownerId = relationId(doc.createdBy)
    return ownerId ? { key: ownerId, where: { createdBy: { equals: ownerId } } } : null
  },
  ownerOf: async (_req, doc) => relationId(doc.createdBy),
})

/**
 * Subscription limits on projects (src/domain/quotas/tiers.ts): creating one beyond the owner's `maxProjects`, or setting
 * `projectSettings.qualityTier: premium` without the `premium-quality` feature, answers 403 naming the limit and
 * stores nothing.
 */
export const enforceProjectQuota: CollectionBeforeChangeHook = async ({ data, operation, originalDoc, req }) => {
  const createdBy = data.createdBy ?? originalDoc?.createdBy
  // A hand-over (an accepted ownership invitation) holds the new owner to their own quota and tier.
  const changesOwner = operation === 'update' && relationId(data.createdBy) !== undefined && relationId(data.createdBy) !== relationId(originalDoc?.createdBy)
  const isPremium = (data.projectSettings?.qualityTier ?? originalDoc?.projectSettings?.qualityTier) === 'premium'
  const wasPremium = originalDoc?.projectSettings?.qualityTier === 'premium'
  if (areQuotasEnforced(req) && isPremium && (!wasPremium || changesOwner)) {
    const owner = await loadOwner(req, relationId(createdBy) ?? relationId(req.user?.id))
    if (!resolveQuotas(owner as Parameters<typeof resolveQuotas>[0]).features.includes('premium-quality')) {
      throw new QuotaExceededError({ limit: 'features', value: 'premium-quality', detail: 'qualityTier "premium" needs the premium-quality feature' })
    }
  }
  // A create and a hand-over both take a slot of the (new) owner: two hand-overs to one owner cannot both pass.
  projectSlots.takeOnWrite(req, operation === 'create' || changesOwner ? { createdBy: createdBy ?? req.user?.id } : null)
  return data
}
