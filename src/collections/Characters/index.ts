import type { CollectionConfig } from 'payload'

import { projectScopedAccess } from '../../access/projectScopedAccess'
import { mediaField } from '../../fields/mediaField'
import { projectField } from '../../fields/projectField'
import { adminGroups } from '../options'
import { slugs } from '../slugs'
import { checkCharacterConsistency } from './hooks/checkCharacterConsistency'
import { invalidateCharacterCacheAfterChange, invalidateCharacterCacheAfterDelete } from './hooks/invalidateCharacterCache'
import { keepAppearances } from './hooks/keepAppearances'
import { recomputeAfterCharacterChange } from './hooks/recomputeAfterCharacterChange'

export const Characters: CollectionConfig = {
  slug: slugs.characters,
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'project', 'updatedAt'],
    group: adminGroups.production,
  },
  indexes: [{ fields: ['project', 'name'] }],
  access: projectScopedAccess,
  hooks: {
    beforeChange: [checkCharacterConsistency, keepAppearances],
    afterChange: [invalidateCharacterCacheAfterChange, recomputeAfterCharacterChange],
    afterDelete: [invalidateCharacterCacheAfterDelete],
  },
  fields: [
    projectField(),
    { name: 'name', type: 'text', required: true },
    { name: 'description', type: 'textarea' },
    {
      name: 'profile',
      type: 'group',
      fields: [
        {
          type: 'row',
          fields: [
            { name: 'age', type: 'text' },
            { name: 'gender', type: 'text' },
          ],
        },
        { name: 'personality', type: 'text', hasMany: true },
        { name: 'backstory', type: 'textarea' },
        { name: 'motivations', type: 'text', hasMany: true },
        {
          name: 'relationships',
          type: 'array',
          fields: [
            { name: 'characterId', type: 'relationship', relationTo: slugs.characters, required: true },
            { name: 'relationshipType', type: 'text' },
            { name: 'description', type: 'text' },
          ],
        },
      ],
    },
    {
      name: 'visualDesign',
      type: 'group',
      fields: [
        mediaField({ name: 'referenceImages', types: ['character_design', 'concept_art', 'style_reference'], hasMany: true }),
        mediaField({ name: 'finalDesign', types: ['character_design'] }),
        { name: 'styleNotes', type: 'textarea' },
        { name: 'colorPalette', type: 'text', hasMany: true },
      ],
    },
    {
      name: 'voiceProfile',
      type: 'group',
      fields: [
        { name: 'voiceId', type: 'text' },
        mediaField({ name: 'audioSample', types: ['voice_profile', 'audio_clip'] }),
        { name: 'voiceCharacteristics', type: 'text', hasMany: true },
      ],
    },
    {
      name: 'appearances',
      type: 'array',
      admin: {
        readOnly: true,
        description:
          'Derived from the scenes that cast the character or give it a line: episode, scenes and screen time (the scenes\' durations, in seconds).',
      },
      fields: [
        { name: 'episodeId', type: 'relationship', relationTo: slugs.episodes, required: true },
        { name: 'sceneIds', type: 'relationship', relationTo: slugs.scenes, hasMany: true },
        { name: 'screenTime', type: 'number', min: 0 },
      ],
    },
  ],
}
