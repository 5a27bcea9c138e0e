import type { CollectionConfig } from 'payload'

import { projectField } from '../../fields/projectField'
import { adminGroups } from '../options'
import { slugs } from '../slugs'

export const Characters: CollectionConfig = {
  slug: slugs.characters,
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'project', 'updatedAt'],
    group: adminGroups.production,
  },
  indexes: [{ fields: ['project', 'name'] }],
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
        { name: 'referenceImages', type: 'relationship', relationTo: slugs.media, hasMany: true },
        { name: 'finalDesign', type: 'relationship', relationTo: slugs.media },
        { name: 'styleNotes', type: 'textarea' },
        { name: 'colorPalette', type: 'text', hasMany: true },
      ],
    },
    {
      name: 'voiceProfile',
      type: 'group',
      fields: [
        { name: 'voiceId', type: 'text' },
        { name: 'audioSample', type: 'relationship', relationTo: slugs.media },
        { name: 'voiceCharacteristics', type: 'text', hasMany: true },
      ],
    },
    {
      name: 'appearances',
      type: 'array',
      admin: { description: 'Where the character is cast: episode, scenes and screen time in seconds.' },
      fields: [
        { name: 'episodeId', type: 'relationship', relationTo: slugs.episodes, required: true },
        { name: 'sceneIds', type: 'relationship', relationTo: slugs.scenes, hasMany: true },
        { name: 'screenTime', type: 'number', min: 0 },
      ],
    },
  ],
}
