import type { CollectionConfig } from 'payload'

import { projectScopedAccess } from '../../access/projectScopedAccess'
import { figure, nextStatusSelect, relatedList } from '../../fields/adminComponents'
import { mediaField } from '../../fields/mediaField'
import { projectField } from '../../fields/projectField'
import { sameProjectFilter } from '../../fields/sameProjectFilter'
import { leaveOutOfDuplicate } from '../../fields/leaveOutOfDuplicate'
import { sceneProductionMachine } from '../../domain/statusMachines'
import { adminGroups, sceneProductionStatuses, timesOfDay, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { checkSceneConsistency } from './hooks/checkSceneConsistency'
import { deriveSceneDuration } from './hooks/deriveSceneDuration'
import { enforceProductionStatus } from './hooks/enforceProductionStatus'
import { prepareScene } from './hooks/prepareScene'
import { recomputeAfterSceneChange, recomputeAfterSceneDelete } from './hooks/recomputeAfterSceneChange'
import { releaseSceneWriteTurn, takeSceneWriteTurn } from './hooks/sceneWriteTurn'
import { trackProductionAttempts } from './hooks/trackProductionAttempts'
import { assignNumber, validateNumber } from '../../hooks/numbering'

export const Scenes: CollectionConfig = {
  slug: slugs.scenes,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['sceneNumber', 'title', 'project', 'episode', 'production.status', 'updatedAt'],
    group: adminGroups.production,
  },
  // Lists in natural order (the list view takes one sort field; the project and episode columns tell them apart).
  defaultSort: 'sceneNumber',
  // project + episode + sceneNumber: numbers are unique per episode, prefixed by the project because on a sharded
  // cluster a unique index must start with the shard key (docs/OPERATIONS.md, Sharding; migrations/…000003).
  // episode + production.status: the episode's production figures are three counts on it.
  indexes: [{ fields: ['project', 'episode', 'sceneNumber'], unique: true }, { fields: ['episode', 'production.status'] }],
  access: projectScopedAccess,
  hooks: {
    beforeValidate: [prepareScene],
    beforeChange: [enforceProductionStatus, checkSceneConsistency, trackProductionAttempts, deriveSceneDuration, assignNumber('scenes'), takeSceneWriteTurn],
    afterChange: [releaseSceneWriteTurn, recomputeAfterSceneChange],
    afterDelete: [recomputeAfterSceneDelete],
  },
  fields: [
    projectField({ custom: { filledByHook: true }, admin: { position: 'sidebar', description: "Left empty, the episode's project." } }),
    {
      name: 'episode',
      type: 'relationship',
      relationTo: slugs.episodes,
      required: true,
      index: true,
      filterOptions: sameProjectFilter(),
      admin: { position: 'sidebar' },
    },
    {
      type: 'row',
      fields: [
        {
          name: 'sceneNumber',
          hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
          type: 'number',
          required: true,
          custom: { filledByHook: true },
          min: 1,
          validate: validateNumber('scenes'),
          admin: { description: 'Left empty, the next number in the episode.' },
        },
        { name: 'title', type: 'text' },
      ],
    },
    {
      name: 'script',
      type: 'group',
      fields: [
        { name: 'action', type: 'textarea', admin: { rows: 12 } },
        {
          name: 'dialogue',
          type: 'array',
          fields: [
            { name: 'character', type: 'relationship', relationTo: slugs.characters, index: true, filterOptions: sameProjectFilter() },
            { name: 'lines', type: 'textarea', required: true },
            { name: 'emotion', type: 'text' },
            { name: 'timing', type: 'number', min: 0, admin: { description: 'Seconds.' } },
          ],
        },
        {
          name: 'duration',
          type: 'number',
          min: 0,
          admin: { description: 'Estimated seconds. Left empty, the sum of the dialogue timings.' },
        },
        {
          name: 'durationSource',
          type: 'select',
          options: [
            { label: 'Given', value: 'given' },
            { label: 'Dialogue timings', value: 'dialogue' },
          ],
          admin: { readOnly: true, description: 'Whether the duration was given or derived from the dialogue.' },
        },
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
            mediaField({ name: 'image', types: ['storyboard', 'concept_art'] }),
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
          hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
          required: true,
          index: true,
          admin: { components: nextStatusSelect(sceneProductionMachine) },
        },
        mediaField({ name: 'videoSegment', types: ['video_segment'] }),
        mediaField({ name: 'audioTrack', types: ['audio_clip', 'voice_profile', 'music_track', 'sound_effect'] }),
        mediaField({ name: 'sceneCut', types: ['video_segment'], description: 'The assembled scene: video and audio cut to the scene duration (H.264/AAC MP4).' }),
        {
          name: 'attempts',
          hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
          type: 'number',
          min: 0,
          defaultValue: 0,
          admin: { readOnly: true, description: 'Counted each time the status enters generating.', components: figure('count') },
        },
        { name: 'reviewNote', type: 'textarea', admin: { readOnly: true, description: 'The note of the latest review (POST /api/v1/scenes/{id}/review).' } },
        { name: 'lastAttempt', type: 'date', hooks: { beforeDuplicate: [leaveOutOfDuplicate] }, admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
    {
      name: 'characters',
      type: 'relationship',
      relationTo: slugs.characters,
      hasMany: true,
      index: true,
      filterOptions: sameProjectFilter(),
    },
    // The scene's media as thumbnails (admin only, stores nothing).
    { name: 'mediaList', type: 'ui', admin: { components: relatedList('SceneMedia') } },
    // The scene's takes with Generate, Approve and Reject and regenerate (admin only, stores nothing; issue 22).
    { name: 'productionPanel', type: 'ui', admin: { components: relatedList('SceneProduction') } },
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
