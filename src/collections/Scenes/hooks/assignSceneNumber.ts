import type { CollectionBeforeChangeHook } from 'payload'

import { reserveNextNumber } from '../../../domain/numbering'
import { relationId } from '../../../domain/references'
import type { Scene } from '../../../payload-types'

/**
 * A new scene without `sceneNumber` gets the next free number in its episode, reserved so that concurrent creates
 * each get their own (reserveNextNumber). The last beforeChange hook — after the status and consistency checks,
 * before field validation — so a create those refuse does not take a number.
 */
export const assignSceneNumber: CollectionBeforeChangeHook<Scene> = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const episodeId = relationId(data.episode)
  // prepareScene filled the project from the episode; without either the consistency checks have refused the create.
  const projectId = relationId(data.project)
  if (!episodeId || !projectId || (data.sceneNumber !== undefined && data.sceneNumber !== null)) return data
  data.sceneNumber = await reserveNextNumber({ req, kind: 'scenes', parentId: episodeId, projectId })
  return data
}
