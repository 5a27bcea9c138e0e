import type { CollectionConfig } from 'payload'

import { projectScopedAccess } from '../../access/projectScopedAccess'
import { figure, nextStatusSelect, relatedList } from '../../fields/adminComponents'
import { imageMediaTypes, mediaField } from '../../fields/mediaField'
import { projectField } from '../../fields/projectField'
import { leaveOutOfDuplicate } from '../../fields/leaveOutOfDuplicate'
import { adminGroups, episodeStatuses, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { episodeStatusMachine } from '../../domain/statusMachines'
import { checkEpisodeConsistency } from './hooks/checkEpisodeConsistency'
import { deriveScriptMetrics } from './hooks/deriveScriptMetrics'
import { enforceEpisodeQuota, episodeSlots } from './hooks/episodeQuota'
import { enforceEpisodeStatus } from './hooks/enforceEpisodeStatus'
import { keepEpisodeProduction } from './hooks/keepEpisodeProduction'
import { recomputeAfterEpisodeChange, recomputeAfterEpisodeDelete } from './hooks/recomputeAfterEpisodeChange'
import { refuseEpisodeDelete } from './hooks/refuseEpisodeDelete'
import { archiveFinishedTasksOnDelete } from '../../hooks/archiveFinishedTasks'
import { assignNumber, validateNumber } from '../../hooks/numbering'
import { withinEpisodeCount } from './withinEpisodeCount'

export const Episodes: CollectionConfig = {
  slug: slugs.episodes,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['episodeNumber', 'title', 'project', 'status', 'updatedAt'],
    group: adminGroups.production,
  },
  // Lists in natural order (the list view takes one sort field; the project column tells projects apart).
  defaultSort: 'episodeNumber',
  indexes: [{ fields: ['project', 'episodeNumber'], unique: true }],
  access: projectScopedAccess,
  hooks: {
    beforeChange: [enforceEpisodeQuota, enforceEpisodeStatus, checkEpisodeConsistency, deriveScriptMetrics, keepEpisodeProduction, assignNumber('episodes')],
    afterChange: [episodeSlots.afterChange, recomputeAfterEpisodeChange],
    beforeDelete: [refuseEpisodeDelete, archiveFinishedTasksOnDelete({ field: 'episode', reason: 'episode-deleted' })],
    afterDelete: [episodeSlots.afterDelete, recomputeAfterEpisodeDelete],
  },
  fields: [
    projectField(),
    {
      type: 'row',
      fields: [
        {
          name: 'episodeNumber',
          hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
          type: 'number',
          required: true,
          custom: { filledByHook: true },
          min: 1,
          validate: validateNumber('episodes', withinEpisodeCount),
          admin: { description: "Left empty, the next number in the project; at most the project's episode count." },
        },
        { name: 'title', type: 'text', required: true },
      ],
    },
    { name: 'description', type: 'textarea' },
    // The episode's scenes in order with "Add scene" (admin only, stores nothing).
    { name: 'scenesList', type: 'ui', admin: { components: relatedList('EpisodeScenes') } },
    // Produce, live scene progress, assemble and the final video (admin only, stores nothing; issue 22).
    { name: 'productionPanel', type: 'ui', admin: { components: relatedList('EpisodeProduction') } },
    // Import a screenplay, export the script, download and upload the shot list (admin only, stores nothing; issue 24).
    { name: 'screenplayPanel', type: 'ui', admin: { components: relatedList('EpisodeScreenplay') } },
    {
      name: 'status',
      type: 'select',
      options: toOptions(episodeStatuses),
      defaultValue: 'planning',
      hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
      required: true,
      index: true,
      admin: { position: 'sidebar', components: nextStatusSelect(episodeStatusMachine) },
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
        { name: 'content', type: 'textarea', admin: { rows: 24 } },
        { name: 'version', type: 'number', min: 1, defaultValue: 1 },
        {
          name: 'wordCount',
          type: 'number',
          min: 0,
          admin: { readOnly: true, description: 'Derived from the content.', components: figure('count') },
        },
        {
          name: 'estimatedDuration',
          type: 'number',
          min: 0,
          admin: { readOnly: true, description: 'Seconds, derived from the content (150 words a minute).', components: figure('seconds') },
        },
      ],
    },
    {
      name: 'production',
      type: 'group',
      admin: { description: 'Counted from the episode\'s scenes: approved scenes are completed, reviewing and approved ones rendered.' },
      fields: [
        { name: 'sceneCount', type: 'number', min: 0, defaultValue: 0, admin: { readOnly: true, components: figure('count') } },
        { name: 'completedScenes', type: 'number', min: 0, defaultValue: 0, admin: { readOnly: true, components: figure('count') } },
        {
          name: 'renderProgress',
          type: 'number',
          min: 0,
          max: 100,
          defaultValue: 0,
          admin: { readOnly: true, components: figure('percent') },
        },
      ],
    },
    {
      name: 'metadata',
      type: 'group',
      fields: [
        { name: 'duration', type: 'number', min: 0, admin: { description: 'Actual duration in seconds.' } },
        mediaField({ name: 'finalVideo', types: ['final_video'] }),
        mediaField({ name: 'thumbnail', types: imageMediaTypes }),
        mediaField({ name: 'subtitles', types: ['final_video'], description: 'WebVTT subtitles of the final video, from the dialogue timings.' }),
      ],
    },
  ],
}
