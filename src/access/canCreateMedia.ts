import type { Access } from 'payload'

import { slugs } from '../model/slugs'
import { getMemberProjectIds } from './memberships'
import { isAdminUser, isApiKeyUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Creating media: a person into a project they are a member of, or with no project (then it is theirs). A worker
 * (API key) only attaches generated media: `generationMetadata.taskId` must name a task in `processing` and the
 * media's project must be that task's project.
 */
export const canCreateMedia: Access = async ({ req, data }) => {
  const { user } = req
  if (isAdminUser(user)) return true
  if (data === undefined) return Boolean(user)
  const project = relationId(data?.project)
  if (isApiKeyUser(user)) {
    const taskId = data?.generationMetadata?.taskId
    if (!taskId || !project || typeof taskId !== 'string') return false
    // overrideAccess: the worker's right is derived from the task, which this rule reads as system code.
    const { docs } = await req.payload.find({
      collection: slugs.tasks,
      where: { and: [{ id: { equals: taskId } }, { status: { equals: 'processing' } }] },
      depth: 0,
      limit: 1,
      overrideAccess: true,
      req,
    })
    return docs.length === 1 && relationId(docs[0]!.project) === project
  }
  if (!isPerson(user)) return false
  if (!project) return true
  return (await getMemberProjectIds(req)).includes(project)
}
