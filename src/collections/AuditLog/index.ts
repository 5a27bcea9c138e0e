import type { CollectionConfig } from 'payload'

import { isAdmin } from '../../access/isAdmin'
import { isHiddenFromNonAdmins } from '../../access/isHiddenFromNonAdmins'
import { nobody } from '../../access/nobody'
import { adminGroups, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { auditAuthMethods, auditOperations } from '../../model/audit'

/**
 * Who did what to which document, written by the shared audit hooks (src/hooks/audit) for every collection and by
 * the login hooks. Immutable: nobody creates, changes or deletes entries through the API; admins read them.
 * Changed fields are paths only — values, and secrets in particular, are never recorded.
 */
export const AuditLog: CollectionConfig = {
  slug: slugs.auditLog,
  admin: {
    useAsTitle: 'operation',
    defaultColumns: ['createdAt', 'operation', 'collectionSlug', 'documentId', 'user', 'userEmail'],
    group: adminGroups.accounts,
    hidden: isHiddenFromNonAdmins,
    description: 'Immutable record of every create, update, delete and login, and of the task engine\'s claims and endings.',
  },
  access: {
    read: isAdmin,
    create: nobody,
    update: nobody,
    delete: nobody,
  },
  indexes: [{ fields: ['collectionSlug', 'documentId'] }],
  fields: [
    { name: 'operation', type: 'select', options: toOptions(auditOperations), required: true, index: true },
    // Not `collection`: mongoose reserves that path name on documents.
    { name: 'collectionSlug', type: 'text', required: true, index: true },
    { name: 'documentId', label: 'Document', type: 'text', index: true },
    { name: 'user', type: 'relationship', relationTo: slugs.users, index: true },
    { name: 'userEmail', type: 'text', admin: { description: 'The account, kept when the user is deleted; for failed logins the email tried.' } },
    { name: 'authMethod', type: 'select', options: toOptions(auditAuthMethods) },
    { name: 'changedFields', type: 'text', hasMany: true },
    { name: 'ip', type: 'text' },
    // The task engine's transitions (operation task-*): which worker and which attempt of the task.
    { name: 'workerId', type: 'text' },
    { name: 'attempt', type: 'number' },
  ],
}
