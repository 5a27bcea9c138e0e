import type { OptionObject, SelectFieldClient, SelectFieldServerProps } from 'payload'

import { SelectField } from '@payloadcms/ui'

import { areQuotasEnforced, loadOwner } from '../../records/quotas/quotaOwner'
import { isQualityTierIncluded, resolveQuotas } from '../../domain/quotas/tiers'
import { relationId } from '../../model/references'

/**
 * The project quality tier select, offering only the tiers the project owner's subscription includes (the one the
 * project already has stays). The write is still checked by enforceProjectQuota; this keeps a refused tier from
 * being offered.
 */
export async function QualityTierField({ clientField, data, path, readOnly, req }: SelectFieldServerProps) {
  const field = clientField as SelectFieldClient
  const saved = (data as { projectSettings?: { qualityTier?: string } } | undefined)?.projectSettings?.qualityTier
  let options = field.options as OptionObject[]
  let description = field.admin?.description as string | undefined
  if (areQuotasEnforced(req)) {
    const ownerId = relationId((data as { createdBy?: unknown } | undefined)?.createdBy) ?? relationId(req.user?.id)
    const quotas = resolveQuotas((await loadOwner(req, ownerId)) as Parameters<typeof resolveQuotas>[0])
    const included = options.filter((option) => option.value === saved || isQualityTierIncluded({ quotas, tier: option.value }))
    if (included.length < options.length) {
      description = `${options.length - included.length === 1 ? 'Premium is' : 'Some tiers are'} not included in the owner's subscription.`
    }
    options = included
  }
  const admin = { ...field.admin, description } as SelectFieldClient['admin']
  return <SelectField field={{ ...field, options, admin }} path={path} readOnly={readOnly} />
}
