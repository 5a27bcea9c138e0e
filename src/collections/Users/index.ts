import type { CollectionConfig } from 'payload'

import { canRegister } from '../../access/canRegister'
import { isAdmin } from '../../access/isAdmin'
import { isAdminField } from '../../access/isAdminField'
import { isHiddenFromNonAdmins } from '../../access/isHiddenFromNonAdmins'
import { isSelfOrAdmin } from '../../access/isSelfOrAdmin'
import { isPersonSelfField } from '../../access/isPersonSelfField'
import { isSelfOrAdminField } from '../../access/isSelfOrAdminField'
import { nobodyField } from '../../access/nobodyField'
import { readUsers } from '../../access/readUsers'
import { adminGroups, roles, subscriptionTiers, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { logoutOnce } from './endpoints/logoutOnce'
import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin'
import { clearLoginLockOnUnlock } from './hooks/clearLoginLockOnUnlock'
import { keepSingleFirstAdmin } from './hooks/keepSingleFirstAdmin'
import { limitAuthRequests } from './hooks/limitAuthRequests'
import { recordLogin } from './hooks/recordLogin'
import { refuseApiKeyLogout, refuseApiKeys } from './hooks/refuseApiKeys'
import { startEmailChange } from './hooks/startEmailChange'
import { rejectMalformedCredentials } from './hooks/rejectMalformedCredentials'
import { CURRENT_PASSWORD_FIELD, requireCurrentPassword } from './hooks/requireCurrentPassword'

/**
 * Users authenticate to the admin, REST and GraphQL. maxLoginAttempts depends on the database engine
 * (src/db/adapter.ts), so the collection is built for it.
 */
export function createUsersCollection({ maxLoginAttempts }: { maxLoginAttempts: number }): CollectionConfig {
  return {
    slug: slugs.users,
    admin: {
      useAsTitle: 'email',
      defaultColumns: ['email', 'name', 'role', 'subscription.tier', 'createdAt'],
      group: adminGroups.accounts,
      hidden: isHiddenFromNonAdmins,
    },
    auth: {
      maxLoginAttempts,
      lockTime: 10 * 60 * 1000,
      // Workers and agents sign requests with `Authorization: users API-Key <key>`; the key is stored encrypted
      // and never read back. Only admins issue keys (apiKey field below).
      useAPIKey: true,
    },
    endpoints: [logoutOnce],
    access: {
      read: readUsers,
      create: canRegister,
      update: isSelfOrAdmin,
      delete: isAdmin,
      unlock: isAdmin,
    },
    hooks: {
      beforeOperation: [refuseApiKeys, limitAuthRequests, rejectMalformedCredentials, requireCurrentPassword],
      beforeChange: [assignFirstUserAdmin],
      afterChange: [keepSingleFirstAdmin, startEmailChange],
      afterLogin: [recordLogin],
      afterLogout: [refuseApiKeyLogout],
      afterOperation: [clearLoginLockOnUnlock],
    },
    fields: [
      // The current password sent with a change of one's own password (REST, GraphQL and the admin's account view,
      // where it shows while a new password is typed). requireCurrentPassword takes it out of the data before
      // anything else sees it; virtual, so never stored, and never read back (readable in the field rules, as the
      // admin renders only readable fields, but always read as nothing).
      {
        name: CURRENT_PASSWORD_FIELD,
        type: 'text',
        virtual: true,
        hooks: { afterRead: [() => undefined] },
        admin: { components: { Field: '@/components/admin/CurrentPasswordField#CurrentPasswordField' } },
      },
      // Overrides the access of Payload's API-key fields (enableAPIKey, apiKey, apiKeyIndex): admins only.
      { name: 'apiKey', type: 'text', access: { create: isAdminField, update: isAdminField, read: () => false } },
      // Overrides the read of Payload's `sessions` (ids of the account's browser sessions): the person only, never
      // an API key acting as a worker (docs/ACCESS.md, "API keys").
      { name: 'sessions', type: 'array', fields: [], access: { read: isPersonSelfField } },
      // A change of address waits here until the token mailed to the new address comes back
      // (src/records/emailChange.ts); written by server code only. The token's hash and expiry are never read.
      {
        name: 'pendingEmail',
        type: 'email',
        access: { create: nobodyField, update: nobodyField, read: isSelfOrAdminField },
        admin: { readOnly: true, position: 'sidebar', description: 'Waiting for confirmation from this address (a token was mailed to it).' },
      },
      { name: 'emailChangeTokenHash', type: 'text', hidden: true, index: true },
      { name: 'emailChangeExpiresAt', type: 'date', hidden: true },
      // When the account got its current address (confirmed change); unset: since registration. Invitations sent to
      // the address before then are not shown to the account (invitationService.listMine).
      { name: 'emailSince', type: 'date', access: { create: nobodyField, update: nobodyField, read: isSelfOrAdminField }, admin: { hidden: true } },
      { name: 'name', type: 'text' },
      {
        name: 'role',
        type: 'select',
        options: toOptions(roles),
        defaultValue: 'user',
        required: true,
        index: true,
        access: { create: isAdminField, update: isAdminField, read: isSelfOrAdminField },
        admin: { position: 'sidebar' },
      },
      {
        name: 'preferences',
        type: 'group',
        access: { read: isSelfOrAdminField },
        // Not asked on the first-user form (nobody is signed in yet): email, name and password are all it needs.
        admin: { condition: (_data, _siblingData, { user }) => Boolean(user) },
        fields: [
          { name: 'theme', type: 'text', defaultValue: 'system' },
          { name: 'notifications', type: 'checkbox', defaultValue: true },
          { name: 'language', type: 'text', defaultValue: 'en' },
        ],
      },
      {
        name: 'subscription',
        type: 'group',
        access: { create: isAdminField, update: isAdminField, read: isSelfOrAdminField },
        fields: [
          {
            name: 'tier',
            type: 'select',
            options: toOptions(subscriptionTiers),
            defaultValue: 'free',
            required: true,
            index: true,
          },
          { name: 'maxProjects', type: 'number', min: 0 },
          { name: 'maxEpisodesPerProject', type: 'number', min: 0 },
          { name: 'features', type: 'text', hasMany: true },
        ],
      },
    ],
  }
}
