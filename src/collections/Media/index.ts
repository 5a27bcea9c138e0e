import type { CollectionConfig } from 'payload'

import path from 'node:path'

import { readMedia } from '../../access/readMedia'
import { canCreateMedia } from '../../access/canCreateMedia'
import { isMediaEditor } from '../../access/isMediaEditor'
import { isAdminField } from '../../access/isAdminField'
import { projectField } from '../../fields/projectField'
import { sameProjectFilter } from '../../fields/sameProjectFilter'
import { adminGroups, generationProviders, mediaStatuses, mediaTypes, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { checkMediaRelations } from './hooks/checkMediaRelations'
import { checkUploadSize } from './hooks/checkUploadSize'
import { guardSharedNamesOnDelete } from './hooks/guardSharedStoredNames'
import { prepareUploadedFile } from './hooks/prepareUploadedFile'
import { ownFileUrlsOnly } from './hooks/refuseFileFromUrl'
import { invalidateMediaVectorsAfterChange, invalidateMediaVectorsAfterDelete } from './hooks/invalidateMediaVectors'
import { prepareMedia } from './hooks/prepareMedia'
import { releaseDeletedFilename, releaseReplacedFilename } from './hooks/releaseFilenameClaims'
import { setImageResolution } from './hooks/setImageResolution'
import { publishMediaCreated } from './hooks/publishMediaCreated'
import { validateEmbedding } from './validateEmbedding'

export const Media: CollectionConfig = {
  slug: slugs.media,
  admin: {
    useAsTitle: 'filename',
    defaultColumns: ['filename', 'mediaType', 'project', 'status', 'updatedAt'],
    group: adminGroups.assets,
    listSearchableFields: ['filename', 'alt', 'description'],
  },
  upload: {
    // Local disk when no bucket is configured; the S3 storage plugin (payload.config.ts) takes over otherwise.
    // turbopackIgnore: uploads are run-time data, not files for `next build` to trace into every route (see
    // src/monitoring/checkHealth.ts).
    staticDir: path.resolve(/* turbopackIgnore: true */ process.cwd(), 'media'),
    // text/vtt: the subtitles an episode cut stores beside its final video (src/domain/mediaRules.ts).
    mimeTypes: ['image/*', 'video/*', 'audio/*', 'text/vtt'],
    imageSizes: [{ name: 'thumbnail', width: 400, height: 300, position: 'centre' }],
    adminThumbnail: 'thumbnail',
    externalFileHeaderFilter: ownFileUrlsOnly,
  },
  indexes: [{ fields: ['project', 'mediaType'] }, { fields: ['episode', 'mediaType'] }],
  access: {
    read: readMedia,
    create: canCreateMedia,
    update: isMediaEditor,
    delete: isMediaEditor,
  },
  hooks: {
    beforeOperation: [checkUploadSize, prepareUploadedFile],
    beforeDelete: [guardSharedNamesOnDelete],
    beforeValidate: [prepareMedia],
    beforeChange: [checkMediaRelations, setImageResolution],
    afterChange: [invalidateMediaVectorsAfterChange, releaseReplacedFilename, publishMediaCreated],
    afterDelete: [invalidateMediaVectorsAfterDelete, releaseDeletedFilename],
  },
  fields: [
    // Payload's upload filename: `<random>-<uploaded name>`, chosen by the server (src/domain/storedMediaNames.ts),
    // so it and its sizes' names are the document's own. Also unique across projects by claims
    // (src/db/globalUniques.ts) rather than a unique index, which a collection sharded by project cannot keep; the
    // plain index serves Payload's name-taken check and the file endpoint's lookup.
    { name: 'filename', type: 'text', unique: false, index: true },
    projectField({ required: false }),
    {
      // The uploader: owns media that belongs to no project (src/access/readMedia.ts).
      name: 'createdBy',
      type: 'relationship',
      relationTo: slugs.users,
      index: true,
      defaultValue: ({ user }) => user?.id,
      access: { create: isAdminField, update: isAdminField },
      admin: { position: 'sidebar', readOnly: true },
    },
    {
      name: 'episode',
      type: 'relationship',
      relationTo: slugs.episodes,
      index: true,
      filterOptions: sameProjectFilter(),
      admin: { position: 'sidebar' },
    },
    {
      name: 'scene',
      type: 'relationship',
      relationTo: slugs.scenes,
      index: true,
      filterOptions: sameProjectFilter(),
      admin: { position: 'sidebar' },
    },
    {
      name: 'character',
      type: 'relationship',
      relationTo: slugs.characters,
      filterOptions: sameProjectFilter(),
      admin: { position: 'sidebar' },
    },
    { name: 'alt', type: 'text' },
    {
      name: 'mediaType',
      type: 'select',
      options: toOptions(mediaTypes),
      required: true,
      index: true,
      admin: {
        description:
          'Design, art, storyboard and style reference files are images; video segments and final videos are video; audio clips, voice profiles, music and sound effects are audio.',
      },
    },
    {
      name: 'status',
      type: 'select',
      options: toOptions(mediaStatuses),
      defaultValue: 'active',
      required: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    { name: 'version', type: 'number', min: 1, defaultValue: 1, admin: { position: 'sidebar' } },
    { name: 'description', type: 'textarea' },
    { name: 'tags', type: 'text', hasMany: true },
    { name: 'agentGenerated', type: 'checkbox', defaultValue: false },
    {
      name: 'generationMetadata',
      type: 'group',
      admin: { condition: (data) => Boolean(data?.agentGenerated) },
      fields: [
        { name: 'agentId', label: 'Agent', type: 'text' },
        { name: 'promptUsed', type: 'textarea' },
        { name: 'modelVersion', type: 'text' },
        { name: 'generationTime', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'taskId', label: 'Task', type: 'text' },
        { name: 'provider', type: 'select', options: toOptions(generationProviders) },
        { name: 'cost', type: 'number', min: 0 },
        { name: 'slot', type: 'text', admin: { readOnly: true, description: 'The field this result was made for (e.g. storyboard.panels.0.image): takes of a slot share it.' } },
      ],
    },
    {
      name: 'embedding',
      type: 'number',
      hasMany: true,
      validate: validateEmbedding,
      admin: { readOnly: true, description: 'Jina v4 vector of EMBEDDING_DIMENSIONS numbers (512 or 1024), written by the embedding worker.', disableListColumn: true },
    },
    {
      name: 'relatedElements',
      type: 'group',
      fields: [
        { name: 'characters', type: 'relationship', relationTo: slugs.characters, hasMany: true, filterOptions: sameProjectFilter() },
        { name: 'episode', type: 'number', min: 1, admin: { description: 'Episode number.' } },
        { name: 'scene', type: 'text' },
        { name: 'timestamp', type: 'number', min: 0 },
      ],
    },
    {
      name: 'technicalData',
      type: 'group',
      fields: [
        { name: 'duration', type: 'number', min: 0, admin: { description: 'Seconds, for audio and video.' } },
        {
          name: 'resolution',
          type: 'text',
          admin: { description: 'For example 1920x1080; set from the measured dimensions for images.' },
        },
        { name: 'fps', type: 'number', min: 0 },
        { name: 'sampleRate', type: 'number', min: 0 },
        { name: 'bitrate', type: 'number', min: 0 },
        { name: 'codec', type: 'text' },
      ],
    },
  ],
}
