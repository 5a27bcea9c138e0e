import type { CollectionConfig } from 'payload'

import { projectScopedAccess } from '../../access/projectScopedAccess'
import { invalidateCachedReads } from '../../hooks/invalidateCachedReads'
import { cacheTags } from '../../lib/cache'
import { mediaField } from '../../fields/mediaField'
import { figure } from '../../fields/adminComponents'
import { projectField } from '../../fields/projectField'
import { sameProjectFilter } from '../../fields/sameProjectFilter'
import { adminGroups } from '../../model/options'
import { slugs } from '../../model/slugs'
import { checkCharacterConsistency } from './hooks/checkCharacterConsistency'
import { keepAppearances } from './hooks/keepAppearances'
import { recomputeAfterCharacterChange } from './hooks/recomputeAfterCharacterChange'

const characterCacheInvalidation = invalidateCachedReads(cacheTags.character)

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
    afterChange: [characterCacheInvalidation.afterChange, recomputeAfterCharacterChange],
    afterDelete: [characterCacheInvalidation.afterDelete],
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
            {
              name: 'characterId',
              label: 'Character',
              type: 'relationship',
              relationTo: slugs.characters,
              required: true,
              filterOptions: sameProjectFilter(),
            },
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
        { name: 'voiceId', label: 'Voice', type: 'text' },
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
        { name: 'episodeId', label: 'Episode', type: 'relationship', relationTo: slugs.episodes, required: true },
        { name: 'sceneIds', label: 'Scenes', type: 'relationship', relationTo: slugs.scenes, hasMany: true },
        { name: 'screenTime', type: 'number', min: 0, admin: { components: figure('seconds') } },
      ],
    },
  ],
}
