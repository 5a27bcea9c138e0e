import { z } from 'zod'

import type { Actor } from './actor'

import { isAdminUser } from '../model/roles'
import { slugs } from '../model/slugs'
import { ForbiddenError } from '../errors'
import { requireUser } from './actor'
import { createCollectionService } from './collectionService'
import { findAuditEntriesSchema, type FindAuditEntriesDTO } from './schemas/auditLogSchemas'
import { parseInput } from './schemas/common'

export const auditEntrySelect = {
  operation: true,
  collectionSlug: true,
  documentId: true,
  user: true,
  userEmail: true,
  authMethod: true,
  changedFields: true,
  ip: true,
  workerId: true,
  attempt: true,
  createdAt: true,
  updatedAt: true,
} as const

// Entries are written by the audit hooks only (the collection refuses every write through the API).
const noWrites = z.never()

const base = createCollectionService({
  slug: slugs.auditLog,
  resource: 'Audit entry',
  createSchema: noWrites,
  updateSchema: noWrites,
  listSelect: auditEntrySelect,
})

/**
 * The audit log, newest first, optionally of one document (collectionSlug + documentId) or operation; admins only
 * (as the collection's read access). It grows with every write, so it pages by keyset (`cursor`).
 */
async function list({ actor, ...input }: { actor: Actor } & FindAuditEntriesDTO) {
  const { user } = requireUser(actor)
  if (!isAdminUser(user)) throw new ForbiddenError({ message: 'Only admins read the audit log' })
  const { collectionSlug, documentId, operation, page, limit, cursor } = parseInput(findAuditEntriesSchema, input)
  const where = {
    ...(collectionSlug ? { collectionSlug: { equals: collectionSlug } } : {}),
    ...(documentId ? { documentId: { equals: documentId } } : {}),
    ...(operation ? { operation: { equals: operation } } : {}),
  }
  const scope = `audit:${collectionSlug ?? ''}:${documentId ?? ''}:${operation ?? ''}`
  return base.listByKeyset({ actor, where, sort: ['-createdAt'], scope, cursor, page, limit })
}

export const auditLogService = { list }
