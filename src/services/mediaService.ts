import type { Media } from '../payload-types'

import { slugs } from '../collections/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import { findMediaByProjectSchema, type FindMediaByProjectDTO, updateMediaSchema } from './schemas/mediaSchemas'

/** List views never carry the embedding vector (up to 1,024 numbers) or generation prompts. */
export const mediaListSelect = {
  project: true,
  episode: true,
  scene: true,
  character: true,
  filename: true,
  mimeType: true,
  filesize: true,
  width: true,
  height: true,
  url: true,
  thumbnailURL: true,
  alt: true,
  mediaType: true,
  status: true,
  version: true,
  tags: true,
  agentGenerated: true,
  createdAt: true,
} as const

const base = createCollectionService<Media, typeof updateMediaSchema, typeof updateMediaSchema>({
  slug: slugs.media,
  resource: 'Media',
  // Files are created through the upload endpoint (/api/media), so the service has no create of its own.
  createSchema: updateMediaSchema,
  updateSchema: updateMediaSchema,
  listSelect: mediaListSelect,
})

/** A project's media, optionally of one type, newest first. 404 when the project is not visible. */
async function findByProject({ actor, ...input }: { actor: Actor } & FindMediaByProjectDTO): Promise<Page<Media>> {
  const { projectId, mediaType, status, page, limit } = parseInput(findMediaByProjectSchema, input)
  const where = {
    project: { equals: projectId },
    ...(mediaType ? { mediaType: { equals: mediaType } } : {}),
    ...(status ? { status: { equals: status } } : {}),
  }
  const result = await base.list({ actor, where, sort: '-createdAt', page, limit })
  if (result.docs.length === 0) await projectService.findById({ actor, id: projectId })
  return result
}

export const mediaService = {
  findById: base.findById,
  findByProject,
  update: base.update,
  delete: base.delete,
}
