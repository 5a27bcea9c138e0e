import type { CollectionConfig } from 'payload'

import { isAdmin } from '../../access/isAdmin'
import { isHiddenFromNonAdmins } from '../../access/isHiddenFromNonAdmins'
import { readInvitations } from '../../access/readInvitations'
import { adminGroups, invitationKinds, invitationStatuses, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'

/**
 * Invitations into a project (collaborator) and hand-overs of its ownership, answered by the invitee
 * (src/services/invitationService.ts). Written by that service as system code after its own checks; through
 * REST/GraphQL only admins write. Accepted and removed records are the source the project's `collaborators` are
 * recomputed from, so concurrent acceptances never lose one another.
 */
export const ProjectInvitations: CollectionConfig = {
  slug: slugs.projectInvitations,
  // Producers invite and answer in the project view and on the dashboard (ProjectMembers, MyInvitations).
  admin: {
    useAsTitle: 'email',
    defaultColumns: ['email', 'kind', 'status', 'project', 'updatedAt'],
    group: adminGroups.system,
    hidden: isHiddenFromNonAdmins,
  },
  // One pending invitation per project, kind and address: `pendingKey` is that triple while pending and the
  // record's own id afterwards, and its unique index arbitrates concurrent invitations on MongoDB and FerretDB.
  indexes: [{ fields: ['project', 'kind', 'status'] }],
  access: { read: readInvitations, create: isAdmin, update: isAdmin, delete: isAdmin },
  fields: [
    { name: 'project', type: 'relationship', relationTo: slugs.projects, required: true, index: true },
    { name: 'kind', type: 'select', options: toOptions(invitationKinds), required: true, defaultValue: 'collaborator' },
    { name: 'email', type: 'email', required: true, index: true },
    { name: 'status', type: 'select', options: toOptions(invitationStatuses), required: true, defaultValue: 'pending', index: true },
    { name: 'invitedBy', type: 'relationship', relationTo: slugs.users, index: true },
    { name: 'user', type: 'relationship', relationTo: slugs.users, index: true, admin: { description: 'Who accepted (or was removed).' } },
    { name: 'respondedAt', type: 'date' },
    { name: 'pendingKey', type: 'text', unique: true, admin: { hidden: true } },
    // SHA-256 of the token mailed to the invited address; accepting needs the token. Never read back.
    { name: 'tokenHash', type: 'text', hidden: true },
  ],
}
