import type { Payload, PayloadRequest } from 'payload'

import type { Project, ProjectInvitation } from '../payload-types'

import { randomUUID } from 'node:crypto'

import { slugs } from '../model/slugs'
import { relationId, relationIds } from '../model/references'

/**
 * Project membership is kept as records (project-invitations of kind `collaborator`: `accepted` or `removed`, the
 * latest per person wins), and a project's `collaborators` array is computed from them. Every membership change —
 * an accepted invitation, an admin's addition, a removal, a hand-over — writes its record and then recomputes the
 * array (syncCollaborators); none writes the array from what it read. A path that wrote the whole array from a
 * stale read dropped a member who joined in between, and the removal hook then stamped them `removed` for good.
 */
// Every call below is system code (overrideAccess: true): the service checked the caller before the change.
const system = { overrideAccess: true as const, depth: 0 }

/** Writes a membership record: someone joined (`accepted`) or left (`removed`) the project's collaborators. */
export async function recordMembership({
  payload,
  req,
  projectId,
  userId,
  status,
}: {
  payload: Payload
  req?: PayloadRequest
  projectId: string
  userId: string
  status: 'accepted' | 'removed'
}) {
  await payload.create({
    collection: slugs.projectInvitations,
    data: {
      project: projectId,
      kind: 'collaborator',
      email: `${status}+${userId}@members.invalid`,
      status,
      user: userId,
      respondedAt: new Date().toISOString(),
      pendingKey: `closed:${randomUUID()}`,
    },
    ...system,
    ...(req ? { req } : {}),
  })
}

/**
 * The project's collaborators recomputed from their source — the list as stored (members from before the records),
 * plus everyone whose latest membership record is `accepted`, minus everyone whose latest is `removed`, minus the
 * owner — then read back, and written again until the stored list is the computed one. No read-modify-write can
 * lose a concurrent change: whoever writes last reads every record written before, and each change writes its
 * record before it syncs.
 */
export async function syncCollaborators({ payload, projectId }: { payload: Payload; projectId: string }): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const project = (await payload.findByID({ collection: slugs.projects, id: projectId, ...system })) as Project
    const { docs } = await payload.find({
      collection: slugs.projectInvitations,
      where: { and: [{ project: { equals: projectId } }, { kind: { equals: 'collaborator' } }, { status: { in: ['accepted', 'removed'] } }] },
      sort: 'respondedAt',
      pagination: false,
      ...system,
    })
    const latest = new Map<string, string>()
    for (const record of docs as ProjectInvitation[]) if (relationId(record.user)) latest.set(relationId(record.user)!, record.status ?? '')
    const current = relationIds(project.collaborators)
    const owner = relationId(project.createdBy)
    const next = [...new Set([...current, ...[...latest].filter(([, status]) => status === 'accepted').map(([id]) => id)])].filter(
      (id) => latest.get(id) !== 'removed' && id !== owner,
    )
    if (next.length === current.length && next.every((id) => current.includes(id))) return
    await payload.update({
      collection: slugs.projects,
      id: projectId,
      data: { collaborators: next },
      context: { collaboratorsSync: true },
      ...system,
    })
  }
}
