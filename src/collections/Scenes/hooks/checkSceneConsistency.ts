import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { type FieldError, findProjectMismatches, type ProjectReference } from '../../../records/projectConsistency'
import { effectiveValue, relationId, relationIds } from '../../../model/references'
import type { Scene } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * Everything a scene points at stays in its project: its episode, its cast, the characters of its dialogue, its
 * storyboard images and its production media. 400 with the paths of the offending fields; nothing is stored.
 */
export const checkSceneConsistency: CollectionBeforeChangeHook<Scene> = async ({ data, originalDoc, req }) => {
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  const episodeId = relationId(value('episode'))
  if (!projectId || !episodeId) return data // required-field validation reports these

  const errors: FieldError[] = []
  const references: ProjectReference[] = [{ path: 'episode', collection: slugs.episodes, id: episodeId }]
  for (const id of relationIds(value('characters'))) {
    references.push({ path: 'characters', collection: slugs.characters, id })
  }
  const dialogue = (value('script', 'dialogue') ?? []) as { character?: unknown }[]
  dialogue.forEach((line, index) => {
    const id = relationId(line?.character)
    if (id) references.push({ path: `script.dialogue.${index}.character`, collection: slugs.characters, id })
  })
  const panels = (value('storyboard', 'panels') ?? []) as { image?: unknown }[]
  panels.forEach((panel, index) => {
    const id = relationId(panel?.image)
    if (id) references.push({ path: `storyboard.panels.${index}.image`, collection: slugs.media, id })
  })
  for (const field of ['videoSegment', 'audioTrack']) {
    const id = relationId(value('production', field))
    if (id) references.push({ path: `production.${field}`, collection: slugs.media, id })
  }
  errors.push(...(await findProjectMismatches({ req, projectId, references })))
  const episodeError = errors.find((error) => error.path === 'episode')
  if (episodeError) episodeError.message = `The scene's project must be its episode's project: ${episodeError.message}`
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.scenes, errors })
  return data
}
