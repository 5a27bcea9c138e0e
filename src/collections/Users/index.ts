import type { CollectionConfig } from 'payload'

import { adminGroups, roles, subscriptionTiers, toOptions } from '../options'
import { slugs } from '../slugs'

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
    },
    auth: {
      maxLoginAttempts,
      lockTime: 10 * 60 * 1000,
    },
    fields: [
      { name: 'name', type: 'text' },
      {
        name: 'role',
        type: 'select',
        options: toOptions(roles),
        defaultValue: 'user',
        required: true,
        index: true,
        admin: { position: 'sidebar' },
      },
      {
        name: 'preferences',
        type: 'group',
        fields: [
          { name: 'theme', type: 'text', defaultValue: 'system' },
          { name: 'notifications', type: 'checkbox', defaultValue: true },
          { name: 'language', type: 'text', defaultValue: 'en' },
        ],
      },
      {
        name: 'subscription',
        type: 'group',
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
