import type { FilterOptions, FilterOptionsProps, Where } from 'payload'

import { slugs } from '../model/slugs'
import { relationId } from '../model/references'

/**
 * The project a project-scoped document belongs to while it is being edited: its `project`, or (a scene whose
 * project is left to its episode) the project of its `episode`, read as the editor (access applies).
 */
async function currentProjectId({ data, req }: Pick<FilterOptionsProps, 'data' | 'req'>): Promise<string | undefined> {
  const projectId = relationId(data?.project)
  if (projectId) return projectId
  const episodeId = relationId(data?.episode)
  if (!episodeId) return undefined
  const episode = await req.payload.findByID({
    collection: slugs.episodes,
    id: episodeId,
    depth: 0,
    select: { project: true },
    disableErrors: true,
    overrideAccess: false,
    user: req.user,
    req,
  })
  return relationId(episode?.project)
}

/**
 * Pickers of a project-scoped document offer only the documents of its project once the project (or the episode)
 * is chosen; Payload applies the same filter to every write of the field. `extra` narrows further (media types).
 */
export function sameProjectFilter(extra?: Where): FilterOptions {
  return async ({ data, req }) => {
    return inProject({ projectId: await currentProjectId({ data, req }), extra })
  }
}

/** A project's own pickers (style references): media of this project once it exists. */
export function ownProjectFilter(extra?: Where): FilterOptions {
  return ({ id }) => inProject({ projectId: id === undefined ? undefined : String(id), extra })
}

/** `extra` and, when the project is known, membership of it; `true` (no filter) when neither applies. */
function inProject({ projectId, extra }: { projectId: string | undefined; extra?: Where }): Where | true {
  const conditions: Where[] = [...(extra ? [extra] : []), ...(projectId ? [{ project: { equals: projectId } }] : [])]
  if (conditions.length === 0) return true
  return conditions.length === 1 ? conditions[0] : { and: conditions }
}
