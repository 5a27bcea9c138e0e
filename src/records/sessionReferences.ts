import type { CollectionSlug, PayloadRequest } from 'payload'

import { slugs } from '../model/slugs'
import { findProjectMismatches, type ProjectReference } from './projectConsistency'

const described: Partial<Record<CollectionSlug, string>> = {
  episodes: 'an episode',
  scenes: 'a scene',
  characters: 'a character',
  media: 'a media item',
  tasks: 'a task',
}

/**
 * Keys of a message's or choice's `metadata` that name a document: each must be a document of the session's project
 * (docs/PROMPTS.md, sessions). Other metadata keys are free.
 */
export const metadataReferenceKeys: Record<string, CollectionSlug> = {
  episode: slugs.episodes,
  scene: slugs.scenes,
  character: slugs.characters,
  media: slugs.media,
  task: slugs.tasks,
}

/** The references a metadata object makes, at `<path>.<key>`. */
export function metadataReferences({ metadata, path }: { metadata: unknown; path: string }): ProjectReference[] {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return []
  return Object.entries(metadataReferenceKeys).flatMap(([key, collection]) => {
    const value = (metadata as Record<string, unknown>)[key]
    if (value === undefined || value === null) return []
    return [{ path: `${path}.${key}`, collection, id: typeof value === 'string' ? value : JSON.stringify(value) }]
  })
}

/**
 * One error per reference that is not a document of `projectId`. A document of another project and one that does
 * not exist get the same answer, so the error reveals neither other projects' documents nor their ids.
 */
export function findForeignReferences({ req, projectId, references }: { req: PayloadRequest; projectId: string; references: ProjectReference[] }) {
  return findProjectMismatches({
    req,
    projectId,
    references,
    message: (ref) => `Not ${described[ref.collection] ?? ref.collection} of this session's project.`,
  })
}
