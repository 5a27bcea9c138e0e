import type { CollectionConfig } from 'payload'

import { projectScopedAccess } from '../../access/projectScopedAccess'
import { imageMediaTypes, mediaField } from '../../fields/mediaField'
import { projectField } from '../../fields/projectField'
import { adminGroups, episodeStatuses, toOptions } from '../options'
import { slugs } from '../slugs'
import { assignEpisodeNumber } from './hooks/assignEpisodeNumber'
import { checkEpisodeConsistency } from './hooks/checkEpisodeConsistency'
import { deriveScriptMetrics } from './hooks/deriveScriptMetrics'
import { enforceEpisodeQuota } from './hooks/enforceEpisodeQuota'
import { enforceEpisodeStatus } from './hooks/enforceEpisodeStatus'
import { recheckEpisodeQuota } from './hooks/recheckEpisodeQuota'
import { keepEpisodeProduction } from './hooks/keepEpisodeProduction'
import { recomputeAfterEpisodeChange, recomputeAfterEpisodeDelete } from './hooks/recomputeAfterEpisodeChange'
import { refuseEpisodeDelete } from './hooks/refuseEpisodeDelete'
import { validateEpisodeNumber } from './validateEpisodeNumber'

export const Episodes: CollectionConfig = {
  slug: slugs.episodes,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'project', 'episodeNumber', 'status', 'updatedAt'],
    group: adminGroups.production,
  },
  indexes: [{ fields: ['project', 'episodeNumber'], unique: true }],
  access: projectScopedAccess,
  hooks: {
    beforeChange: [enforceEpisodeQuota, enforceEpisodeStatus, checkEpisodeConsistency, deriveScriptMetrics, keepEpisodeProduction, assignEpisodeNumber],
    afterChange: [recheckEpisodeQuota, recomputeAfterEpisodeChange],
    beforeDelete: [refuseEpisodeDelete],
    afterDelete: [recomputeAfterEpisodeDelete],
  },
  fields: [
    projectField(),
    {
      type: 'row',
      fields: [
        {
          name: 'episodeNumber',
          type: 'number',
          required: true,
          custom: { filledByHook: true },
          min: 1,
          validate: validateEpisodeNumber,
          admin: { description: "Left empty, the next number in the project; at most the project's episode count." },
        },
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
        { name: 'wordCount', type: 'number', min: 0, admin: { readOnly: true, description: 'Derived from the content.' } },
        {
          name: 'estimatedDuration',
          type: 'number',
          min: 0,
          admin: { readOnly: true, description: 'Seconds, derived from the content (150 words a minute).' },
        },
      ],
    },
    {
      name: 'production',
      type: 'group',
      admin: { description: 'Counted from the episode\'s scenes: approved scenes are completed, reviewing and approved ones rendered.' },
      fields: [
        { name: 'sceneCount', type: 'number', min: 0, defaultValue: 0, admin: { readOnly: true } },
        { name: 'completedScenes', type: 'number', min: 0, defaultValue: 0, admin: { readOnly: true } },
        { name: 'renderProgress', type: 'number', min: 0, max: 100, defaultValue: 0, admin: { readOnly: true } },
      ],
    },
    {
      name: 'metadata',
      type: 'group',
      fields: [
        { name: 'duration', type: 'number', min: 0, admin: { description: 'Actual duration in seconds.' } },
        mediaField({ name: 'finalVideo', types: ['final_video'] }),
        mediaField({ name: 'thumbnail', types: imageMediaTypes }),
      ],
    },
  ],
}
