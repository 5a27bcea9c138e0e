import type { CollectionBeforeValidateHook } from 'payload'

import { projectOfParent } from '../../../records/derivedProject'
import { isLeftEmpty, relationId } from '../../../model/references'
import type { Scene } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * Runs before the consistency checks: a new scene without `project` takes its episode's (its number is assigned
 * by assignNumber('scenes'), the last beforeChange hook).
 */
export const prepareScene: CollectionBeforeValidateHook<Scene> = async ({ data, operation, req }) => {
  if (!data || operation !== 'create') return data
  const episodeId = relationId(data.episode)
  if (!episodeId) return data
  if (isLeftEmpty(data.project)) {
    data.project = await projectOfParent({ req, collection: slugs.episodes, id: episodeId, path: 'episode', writing: slugs.scenes })
  }
  return data
}
