import type { CollectionBeforeChangeHook, NumberFieldSingleValidation, PayloadRequest } from 'payload'

import { number } from 'payload/shared'

import { isNumberTaken, numbered, type NumberedKind, reserveNextNumber } from '../records/numbering'
import { relationId } from '../model/references'

type NumberCheck = (args: { value: number; projectId: string; req: PayloadRequest }) => Promise<string | true>

/**
 * The number field's validator: Payload's number checks, then the kind's own check (if any), then the number is
 * not taken under the parent. A field validator rather than a hook, so its error is reported together with the
 * other fields' errors. It also runs on the admin's form-state requests (event onChange): the admin re-validates
 * right after a refused save, and a validator that passed there would clear the error from the field it belongs to.
 * The unique (project, …, number) index stays the arbiter when two writes race.
 */
export function validateNumber(kind: NumberedKind, check?: NumberCheck): NumberFieldSingleValidation {
  const { parent, taken } = numbered[kind]
  return async (value, options) => {
    const base = await number(value, options as Parameters<typeof number>[1])
    if (base !== true || typeof value !== 'number') return base
    const { data, id, req } = options
    const parentId = relationId((data as Record<string, unknown>)[parent])
    // The project (filled from the episode for scenes) keeps the count on the project's shard.
    const projectId = relationId((data as { project?: unknown }).project)
    if (!parentId) return true
    if (check && projectId) {
      const checked = await check({ value, projectId, req })
      if (checked !== true) return checked
    }
    // A number assignNumber has just vouched for is not counted again: one it reserved for this create (the
    // reservation's unique insert gave it to this create alone), or the one this document already holds under the
    // same parent (the unique (project, …, number) index lets no other child hold it). Taken once: a later write of
    // the same request counts as usual.
    const vouched = `${kind}:${parentId}:${id ?? 'new'}`
    if (req.context.vouchedNumbers?.get(vouched) === value) {
      req.context.vouchedNumbers.delete(vouched)
      return true
    }
    return (await isNumberTaken({ req, kind, parentId, projectId, value, excludeId: id })) ? taken(value) : true
  }
}

/**
 * A new child without a number gets the next free one under its parent, reserved so that concurrent creates each
 * get their own (reserveNextNumber). Registered as the last beforeChange hook — after the quota, status and
 * consistency checks, before field validation — so a create those refuse does not take a number.
 */
export function assignNumber(kind: NumberedKind): CollectionBeforeChangeHook {
  const { parent, number: field } = numbered[kind]
  return async ({ data, operation, originalDoc, req }) => {
    const vouched = (parentId: string, id: unknown, value: number) => (req.context.vouchedNumbers ??= new Map()).set(`${kind}:${parentId}:${id ?? 'new'}`, value)
    if (operation === 'update') {
      // Unchanged number under an unchanged parent: the validator need not count it (see validateNumber).
      const parentId = relationId(data[parent] ?? originalDoc?.[parent])
      const value = data[field] ?? originalDoc?.[field]
      if (parentId && typeof value === 'number' && parentId === relationId(originalDoc?.[parent]) && value === originalDoc?.[field]) vouched(parentId, originalDoc?.id, value)
      return data
    }
    if (operation !== 'create') return data
    const parentId = relationId(data[parent])
    // Scenes: prepareScene filled the project from the episode; without either the consistency checks have refused the create.
    const projectId = relationId(data.project)
    if (!parentId || !projectId || (data[field] !== undefined && data[field] !== null)) return data
    data[field] = await reserveNextNumber({ req, kind, parentId, projectId })
    vouched(parentId, undefined, data[field] as number)
    return data
  }
}
