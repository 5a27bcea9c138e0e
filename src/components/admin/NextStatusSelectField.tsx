'use client'
import type { SelectFieldClientProps } from 'payload'

import { SelectField, useAuth, useDocumentInfo, useField } from '@payloadcms/ui'

/**
 * A status select offering the saved status and the statuses its state machine allows next (the machine comes
 * from the field config, src/domain/statusMachines.ts). A new document starts in the initial status; only admins
 * may pick another. The server still refuses an illegal status (enforceStatusTransition); this only keeps it from
 * being offered.
 */
export function NextStatusSelectField(
  props: SelectFieldClientProps & { transitions: Record<string, readonly string[]>; initial: string },
) {
  const { transitions, initial, ...fieldProps } = props
  const { id } = useDocumentInfo()
  const { user } = useAuth<{ role?: string }>()
  const { initialValue } = useField<string>({ potentiallyStalePath: fieldProps.path })
  const saved = id && typeof initialValue === 'string' ? initialValue : undefined
  const allowed = saved ? new Set([saved, ...(transitions[saved] ?? [])]) : user?.role === 'admin' ? undefined : new Set([initial])
  const options = allowed
    ? fieldProps.field.options.filter((option) => allowed.has(typeof option === 'string' ? option : option.value))
    : fieldProps.field.options
  return <SelectField {...fieldProps} field={{ ...fieldProps.field, options }} />
}
