import type { CollectionConfig } from 'payload'

import { projectField } from '../../fields/projectField'
import { adminGroups, sceneProductionStatuses, timesOfDay, toOptions } from '../options'
import { slugs } from '../slugs'

export const Scenes: CollectionConfig = {
  slug: slugs.scenes,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'episode', 'sceneNumber', 'production.status', 'updatedAt'],
    group: adminGroups.production,
  },
  indexes: [{ fields: ['episode', 'sceneNumber'], unique: true }],
  fields: [
    projectField(),
    {
      name: 'episode',
      type: 'relationship',
      relationTo: slugs.episodes,
      required: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    {
      type: 'row',
      fields: [
        { name: 'sceneNumber', type: 'number', required: true, min: 1 },
        { name: 'title', type: 'text' },
      ],
    },
    {
      name: 'script',
      type: 'group',
      fields: [
        { name: 'action', type: 'textarea' },
        {
          name: 'dialogue',
          type: 'array',
          fields: [
            { name: 'character', type: 'relationship', relationTo: slugs.characters },
            { name: 'lines', type: 'textarea', required: true },
            { name: 'emotion', type: 'text' },
            { name: 'timing', type: 'number', min: 0, admin: { description: 'Seconds.' } },
          ],
        },
        { name: 'duration', type: 'number', min: 0, admin: { description: 'Estimated seconds.' } },
      ],
    },
    {
      name: 'storyboard',
      type: 'group',
      fields: [
        {
          name: 'panels',
          type: 'array',
          fields: [
            { name: 'panelNumber', type: 'number', min: 1 },
            { name: 'description', type: 'textarea' },
            { name: 'image', type: 'relationship', relationTo: slugs.media },
            { name: 'cameraAngle', type: 'text' },
            { name: 'notes', type: 'textarea' },
          ],
        },
      ],
    },
    {
      name: 'production',
      type: 'group',
      fields: [
        {
          name: 'status',
          type: 'select',
          options: toOptions(sceneProductionStatuses),
          defaultValue: 'pending',
          required: true,
          index: true,
        },
        { name: 'videoSegment', type: 'relationship', relationTo: slugs.media },
        { name: 'audioTrack', type: 'relationship', relationTo: slugs.media },
        { name: 'attempts', type: 'number', min: 0, defaultValue: 0 },
        { name: 'lastAttempt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
    { name: 'characters', type: 'relationship', relationTo: slugs.characters, hasMany: true, index: true },
    {
      type: 'row',
      fields: [
        { name: 'location', type: 'text' },
        { name: 'timeOfDay', type: 'select', options: toOptions(timesOfDay) },
        { name: 'mood', type: 'text' },
      ],
    },
  ],
}
