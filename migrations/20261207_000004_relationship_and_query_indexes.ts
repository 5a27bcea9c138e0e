import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-mongodb'

import type { DryRunArgs } from '../src/ops/migrations/runner'

import { buildIndexes, dropIndexes, type IndexBuild } from '../src/ops/migrations/indexBuilds'
import { formatReports } from '../src/ops/migrations/report'

/**
 * The data design's "all foreign key relationships" and the query shapes' indexes (docs/OPERATIONS.md, Indexes),
 * built on an existing database: a { project, field } index for each relationship and upload field of the
 * collections sharded by project, a single-field one on the others, the read indexes the MongoDB prefix rule asked
 * for, and the number reservations' TTL index (MongoDB). Listed here as they were when this migration was written,
 * so that it keeps doing the same thing when the plan (src/db/indexes.ts) grows; `npm run migrate` then builds
 * whatever else the plan has. Online on MongoDB (src/ops/migrations/indexBuilds.ts). `down` drops them again.
 */
const byProject = (collection: string, fields: string[]): IndexBuild[] => fields.map((field) => ({ collection, key: { project: 1, [field]: 1 } }))

export const indexes: IndexBuild[] = [
  // relationships and uploads
  { collection: 'projects', key: { styleReferences: 1 } },
  ...byProject('episodes', ['metadata.finalVideo', 'metadata.thumbnail', 'metadata.subtitles']),
  ...byProject('scenes', ['storyboard.panels.image', 'production.videoSegment', 'production.audioTrack', 'production.sceneCut']),
  ...byProject('characters', ['profile.relationships.characterId', 'visualDesign.referenceImages', 'visualDesign.finalDesign', 'voiceProfile.audioSample']),
  ...byProject('media', ['character', 'relatedElements.characters']),
  ...byProject('tasks', ['input.promptId', 'output.mediaId']),
  { collection: 'prompts-executed', key: { templateId: 1 } },
  ...byProject('sessions', ['contextData.currentEpisode', 'contextData.currentScene', 'contextData.focusCharacter']),
  // query shapes
  { collection: 'projects', key: { createdBy: 1, createdAt: -1 } },
  { collection: 'projects', key: { collaborators: 1, createdAt: -1 } },
  { collection: 'projects', key: { createdBy: 1, updatedAt: -1, createdAt: -1 } },
  { collection: 'projects', key: { collaborators: 1, updatedAt: -1, createdAt: -1 } },
  { collection: 'tasks', key: { project: 1, _id: 1 } },
  { collection: 'tasks', key: { status: 1, priority: -1, createdAt: 1, _id: 1 } },
  { collection: '_prompt-templates_versions', key: { parent: 1, updatedAt: -1, createdAt: -1 } },
  { collection: 'payload-preferences', key: { 'user.value': 1, 'user.relationTo': 1 } },
  { collection: 'episodes', key: { project: 1, episodeNumber: 1, createdAt: -1 } },
  { collection: 'scenes', key: { project: 1, episode: 1, sceneNumber: 1, createdAt: -1 } },
  { collection: 'prompts-executed', key: { projectId: 1, createdAt: -1 } },
  { collection: 'sessions', key: { user: 1, updatedAt: -1, createdAt: -1 } },
  { collection: 'prompt-templates', key: { app: 1, stage: 1, name: 1, createdAt: -1 } },
  { collection: 'users', key: { createdAt: 1, _id: 1 } },
  { collection: 'users', key: { apiKeyIndex: 1, createdAt: -1 } },
  { collection: 'payload-locked-documents', key: { 'document.value': 1, 'document.relationTo': 1 } },
  // retention: reservations expire on MongoDB
  { collection: 'number-reservations', key: { reservedAt: 1 }, ttlSeconds: 60 * 60 },
]

/** Replaced by a longer index above (the queue order across projects now ends with the id): dropped once that one is built. */
export const replaced: IndexBuild[] = [{ collection: 'tasks', key: { status: 1, priority: -1, createdAt: 1 } }]

export async function up({ payload }: MigrateUpArgs) {
  const reports = [...(await buildIndexes({ payload, indexes })), ...(await dropIndexes({ payload, indexes: replaced }))]
  payload.logger.info({ msg: formatReports(reports, { dryRun: false }) })
}

export async function down({ payload }: MigrateDownArgs) {
  const reports = [...(await buildIndexes({ payload, indexes: replaced })), ...(await dropIndexes({ payload, indexes: [...indexes].reverse() }))]
  payload.logger.info({ msg: formatReports(reports, { dryRun: false }) })
}

/** `npm run migrate -- --dry-run`: which indexes up or down would build and drop. */
export async function dryRun({ payload, direction }: DryRunArgs) {
  return direction === 'up'
    ? [...(await buildIndexes({ payload, indexes, dryRun: true })), ...(await dropIndexes({ payload, indexes: replaced, dryRun: true }))]
    : [...(await buildIndexes({ payload, indexes: replaced, dryRun: true })), ...(await dropIndexes({ payload, indexes: [...indexes].reverse(), dryRun: true }))]
}
