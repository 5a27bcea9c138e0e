import type { CollectionConfig } from 'payload'

import { enumTextField } from '../../fields/enumTextField'
import {
  adminGroups,
  aspectRatios,
  genres,
  projectPhases,
  projectStatuses,
  qualityTiers,
  targetAudiences,
  toOptions,
} from '../options'
import { slugs } from '../slugs'

export const Projects: CollectionConfig = {
  slug: slugs.projects,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'genre', 'status', 'episodeCount', 'createdBy', 'updatedAt'],
    group: adminGroups.production,
    listSearchableFields: ['title', 'description'],
  },
  indexes: [{ fields: ['createdBy', 'status'] }, { fields: ['collaborators', 'status'] }],
  fields: [
    { name: 'title', type: 'text', required: true, index: true },
    { name: 'description', type: 'textarea' },
    {
      type: 'row',
      fields: [
        { name: 'genre', type: 'select', options: toOptions(genres), index: true },
        { name: 'targetAudience', type: 'select', options: toOptions(targetAudiences) },
        { name: 'episodeCount', type: 'number', min: 1, max: 50, defaultValue: 1, required: true },
      ],
    },
    {
      name: 'status',
      type: 'select',
      options: toOptions(projectStatuses),
      defaultValue: 'concept',
      required: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'createdBy',
      type: 'relationship',
      relationTo: slugs.users,
      required: true,
      index: true,
      defaultValue: ({ user }) => user?.id,
      admin: { position: 'sidebar' },
    },
    {
      name: 'collaborators',
      type: 'relationship',
      relationTo: slugs.users,
      hasMany: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'styleReferences',
      type: 'relationship',
      relationTo: slugs.media,
      hasMany: true,
      filterOptions: { mediaType: { equals: 'style_reference' } },
      admin: { description: 'Media whose type is "Style reference".' },
    },
    {
      name: 'projectSettings',
      type: 'group',
      fields: [
        enumTextField({ name: 'aspectRatio', options: toOptions(aspectRatios), defaultValue: '16:9' }),
        { name: 'episodeDuration', type: 'number', min: 0, admin: { description: 'Minutes per episode.' } },
        { name: 'qualityTier', type: 'select', options: toOptions(qualityTiers), defaultValue: 'standard' },
      ],
    },
    {
      name: 'progress',
      type: 'group',
      fields: [
        { name: 'currentPhase', type: 'select', options: toOptions(projectPhases), defaultValue: 'story_development' },
        { name: 'completedSteps', type: 'text', hasMany: true },
        { name: 'overallProgress', type: 'number', min: 0, max: 100, defaultValue: 0 },
      ],
    },
  ],
}
