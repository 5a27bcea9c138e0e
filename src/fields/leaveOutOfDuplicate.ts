import type { FieldHook } from 'payload'

/**
 * A field a duplicate does not copy (Payload's `beforeDuplicate`): left empty, the create fills it as for a new
 * document — the next scene or episode number, the initial status, no production attempts.
 */
export const leaveOutOfDuplicate: FieldHook = ({ siblingData, field }) => {
  if ('name' in field && field.name) delete (siblingData as Record<string, unknown>)[field.name]
  return undefined
}
