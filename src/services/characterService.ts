import type { Character } from '../payload-types'

import { slugs } from '../model/slugs'
import { relationId } from '../domain/references'
import { NotFoundError } from '../errors'
import { cacheTags, getCache } from '../lib/cache'
import { type Actor, principalKey, requireUser } from './actor'
import { asCaller, createCollectionService, localApi } from './collectionService'
import { projectService } from './projectService'
import { idSchema, type Page, parseInput } from './schemas/common'
import {
  createCharacterSchema,
  type CreateCharacterDTO,
  findCharactersByProjectSchema,
  type FindCharactersByProjectDTO,
  updateCharacterSchema,
} from './schemas/characterSchemas'

export const characterListSelect = {
  project: true,
  name: true,
  description: true,
  profile: { age: true, gender: true, personality: true },
  visualDesign: { finalDesign: true },
  updatedAt: true,
} as const

const base = createCollectionService<Character, typeof createCharacterSchema, typeof updateCharacterSchema>({
  slug: slugs.characters,
  resource: 'Character',
  createSchema: createCharacterSchema,
  updateSchema: updateCharacterSchema,
  listSelect: characterListSelect,
})

/**
 * A character as the caller may see it, from the cache when fresh (per caller, tagged with the character). A
 * character is visible through its project, so the project is re-read through projectService.findById, itself
 * cached and invalidated by project writes: removing a collaborator hides the project's characters at once.
 */
async function findById({ actor, id }: { actor: Actor; id: string }): Promise<Character> {
  const { user } = requireUser(actor)
  const characterId = parseInput(idSchema, id)
  const character = await getCache().getOrLoad({
    key: `character:${characterId}:${principalKey(user)}`,
    tags: [cacheTags.character(characterId)],
    load: () =>
      localApi(actor.payload).findByID({
        collection: slugs.characters,
        id: characterId,
        depth: 0,
        disableErrors: true,
        ...asCaller(actor),
      }) as Promise<Character | null>,
    shouldStore: (doc) => doc !== null,
  })
  if (!character) throw new NotFoundError({ resource: 'Character', id: characterId })
  try {
    await projectService.findById({ actor, id: relationId(character.project) ?? '' })
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError({ resource: 'Character', id: characterId })
    throw err
  }
  return character
}

async function create({ actor, data }: { actor: Actor; data: CreateCharacterDTO }): Promise<Character> {
  const input = parseInput(createCharacterSchema, data)
  await projectService.findById({ actor, id: input.project })
  return base.create({ actor, data: input })
}

/** A project's characters by name. 404 when the project is not visible to the caller. */
async function findByProject({ actor, ...input }: { actor: Actor } & FindCharactersByProjectDTO): Promise<Page<Character>> {
  const { projectId, page, limit } = parseInput(findCharactersByProjectSchema, input)
  const result = await base.list({ actor, where: { project: { equals: projectId } }, sort: 'name', page, limit })
  if (result.docs.length === 0) await projectService.findById({ actor, id: projectId })
  return result
}

export const characterService = {
  create,
  findById,
  findByProject,
  update: base.update,
  delete: base.delete,
}
