import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { clearFaults, pauseAt } from '../../../src/db/faultInjection'
import { slugs } from '../../../src/model/slugs'
import { invitationService } from '../../../src/services/invitationService'
import { projectService } from '../../../src/services/projectService'
import { fixtures } from '../../helpers/fixtures'
import { latestInvitation } from '../../helpers/mail'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, finding 5 (wrong on both engines): membership changes write membership records and recompute the
 * collaborators from them (src/records/memberships.ts). Each interleaving is forced with the fault-injection seam:
 * the first actor is stopped right before its project write while the second one runs through.
 */
let payload: Payload
let cleanup: () => Promise<void>
let make: ReturnType<typeof fixtures>
let owner: User
const as = (user: User): Actor => ({ payload, user: { ...user, collection: 'users' } as User })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('memberships'))
  make = fixtures(payload)
  await make.user() // the first account is the admin
  owner = (await make.user({ subscription: { tier: 'pro' } })) as User
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

const person = async () => (await make.user()) as User
const projectWriteOf = (projectId: string) => ({
  collection: 'projects',
  command: 'findOneAndUpdate' as const,
  when: ({ args }: { args: unknown[] }) => JSON.stringify(args[0]).includes(projectId),
})
const stored = (projectId: string) => payload.findByID({ collection: slugs.projects, id: projectId, depth: 0 })
async function latestRecordOf(projectId: string, userId: string) {
  const { docs } = await payload.find({
    collection: slugs.projectInvitations,
    where: { and: [{ project: { equals: projectId } }, { user: { equals: userId } }, { kind: { equals: 'collaborator' } }] },
    sort: '-respondedAt',
    limit: 1,
    depth: 0,
  })
  return docs[0]?.status
}
const invite = async (projectId: string, invitee: User, kind: 'collaborator' | 'ownership') => {
  if (kind === 'collaborator') await invitationService.invite({ actor: as(owner), projectId, email: invitee.email })
  else await invitationService.transfer({ actor: as(owner), projectId, email: invitee.email })
  return latestInvitation(invitee.email)
}

describe('collaborators under concurrent membership changes', () => {
  it('a hand-over accepted while a collaborator joins keeps the new collaborator (not stamped removed)', async () => {
    const project = String((await make.project(owner.id)).id)
    const [heir, joiner] = [await person(), await person()]
    const handOver = await invite(project, heir, 'ownership')
    const joining = await invite(project, joiner, 'collaborator')
    const paused = pauseAt(projectWriteOf(project))
    const accepted = invitationService.accept({ actor: as(heir), id: handOver.id, token: handOver.token })
    await paused.reached
    await invitationService.accept({ actor: as(joiner), id: joining.id, token: joining.token })
    paused.release()
    await accepted
    const after = await stored(project)
    expect(after.createdBy).toBe(heir.id)
    expect(after.collaborators).toEqual([joiner.id])
    expect(await latestRecordOf(project, joiner.id)).toBe('accepted')
  })

  it('a removal while another collaborator joins removes the one and keeps the other', async () => {
    const project = String((await make.project(owner.id)).id)
    const [leaver, joiner] = [await person(), await person()]
    const leaving = await invite(project, leaver, 'collaborator')
    await invitationService.accept({ actor: as(leaver), id: leaving.id, token: leaving.token })
    const joining = await invite(project, joiner, 'collaborator')
    const paused = pauseAt(projectWriteOf(project))
    const removal = projectService.removeCollaborator({ actor: as(owner), projectId: project, userId: leaver.id })
    await paused.reached
    await invitationService.accept({ actor: as(joiner), id: joining.id, token: joining.token })
    paused.release()
    await removal
    expect((await stored(project)).collaborators).toEqual([joiner.id])
    expect(await latestRecordOf(project, joiner.id)).toBe('accepted')
    expect(await latestRecordOf(project, leaver.id)).toBe('removed')
  })
})
