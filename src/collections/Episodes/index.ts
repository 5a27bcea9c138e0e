import type { CollectionConfig } from 'payload'

import { projectField } from '../../fields/projectField'
import { adminGroups, episodeStatuses, toOptions } from '../options'
import { slugs } from '../slugs'

export const Episodes: CollectionConfig = {
  slug: slugs.episodes,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'project', 'episodeNumber', 'status', 'updatedAt'],
    group: adminGroups.production,
  },
  indexes: [{ fields: ['project', 'episodeNumber'], unique: true }],
  fields: [
    projectField(),
    {
      type: 'row',
      fields: [
        { name: 'episodeNumber', type: 'number', required: true, min: 1 },
        { name: 'title', type: 'text', required: true },
      ],
    },
    { name: 'description', type: 'textarea' },
    {
      name: 'status',
      type: 'select',
      options: toOptions(episodeStatuses),
      defaultValue: 'planning',
      required: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'synopsis',
      type: 'group',
      fields: [
        { name: 'logline', type: 'text' },
        { name: 'summary', type: 'textarea' },
        { name: 'themes', type: 'text', hasMany: true },
      ],
    },
    {
      name: 'script',
      type: 'group',
      fields: [
        { name: 'content', type: 'textarea' },
        { name: 'version', type: 'number', min: 1, defaultValue: 1 },
        { name: 'wordCount', type: 'number', min: 0 },
        { name: 'estimatedDuration', type: 'number', min: 0, admin: { description: 'Seconds.' } },
      ],
    },
    {
      name: 'production',
      type: 'group',
      fields: [
        { name: 'sceneCount', type: 'number', min: 0, defaultValue: 0 },
        { name: 'completedScenes', type: 'number', min: 0, defaultValue: 0 },
        { name: 'renderProgress', type: 'number', min: 0, max: 100, defaultValue: 0 },
      ],
    },
    {
      name: 'metadata',
      type: 'group',
      fields: [
        { name: 'duration', type: 'number', min: 0, admin: { description: 'Actual duration in seconds.' } },
        { name: 'finalVideo', type: 'relationship', relationTo: slugs.media },
        { name: 'thumbnail', type: 'relationship', relationTo: slugs.media },
      ],
    },
  ],
}
