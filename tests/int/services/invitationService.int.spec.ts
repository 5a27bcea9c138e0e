import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { slugs } from '../../../src/model/slugs'
import { invitationService } from '../../../src/services/invitationService'
import { projectService } from '../../../src/services/projectService'
import { fixtures } from '../../helpers/fixtures'
import { invitationToken } from '../../helpers/mail'
import { loose } from '../../helpers/loose'
import { createTestPayload } from '../../helpers/payload'

/** Membership by invitation and ownership by transfer (issue 9, items 3 and 4), from each person's seat. */
let payload: Payload
let cleanup: () => Promise<void>
let make: ReturnType<typeof fixtures>
let admin: User, owner: User, invitee: User, other: User, stranger: User
const as = (user: User): Actor => ({ payload, user: { ...user, collection: 'users' } as User })
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: { status?: number; message?: string }) => ({ ok: false as const, status: error.status, message: error.message }),
  )

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('invitations'))
  make = fixtures(payload)
  admin = (await make.user()) as User
  owner = (await make.user({ subscription: { tier: 'pro' } })) as User
  invitee = (await make.user({ name: 'Invitee' })) as User
  other = (await make.user()) as User
  stranger = (await make.user()) as User
})
afterAll(async () => cleanup?.())

describe('collaborator invitations', () => {
  it('answers the same whether or not the address has an account, and again for a repeat', async () => {
    const project = await make.project(owner.id)
    const existing = await invitationService.invite({ actor: as(owner), projectId: project.id, email: invitee.email })
    const missing = await invitationService.invite({ actor: as(owner), projectId: project.id, email: 'nobody-here@example.test' })
    const repeat = await invitationService.invite({ actor: as(owner), projectId: project.id, email: invitee.email.toUpperCase() })
    expect(Object.keys(existing).sort()).toEqual(Object.keys(missing).sort())
    expect([existing.status, missing.status, repeat.status]).toEqual(['invited', 'invited', 'invited'])
    const pending = await payload.count({ collection: slugs.projectInvitations, where: { project: { equals: project.id }, email: { equals: invitee.email } } })
    expect(pending.totalDocs).toBe(1)
  })

  it('only the owner or an admin invites; a stranger cannot tell the project exists', async () => {
    const project = await make.project(owner.id, { collaborators: [other.id] })
    expect(await outcome(invitationService.invite({ actor: as(other), projectId: project.id, email: 'x@example.test' }))).toMatchObject({ ok: false, status: 403 })
    expect(await outcome(invitationService.invite({ actor: as(stranger), projectId: project.id, email: 'x@example.test' }))).toMatchObject({ ok: false, status: 404 })
    expect(await outcome(invitationService.invite({ actor: as(admin), projectId: project.id, email: 'y@example.test' }))).toMatchObject({ ok: true })
  })

  it('until accepted neither side sees the other; after accepting the invitee is a member and sees names only', async () => {
    const project = await make.project(owner.id, { title: 'Secret series' })
    await invitationService.invite({ actor: as(owner), projectId: project.id, email: invitee.email })
    // The invitee sees the invitation, not the project.
    const { docs } = await invitationService.listMine({ actor: as(invitee) })
    const mine = docs.find((invitation) => invitation.project.id === String(project.id))!
    expect(mine).toMatchObject({ kind: 'collaborator', project: { title: 'Secret series' } })
    expect(await outcome(projectService.findById({ actor: as(invitee), id: project.id }))).toMatchObject({ ok: false, status: 404 })
    // The owner cannot read the invitee's account.
    const read = await outcome(payload.findByID({ collection: slugs.users, id: invitee.id, user: as(owner).user, overrideAccess: false }))
    expect(read.ok).toBe(false)
    // Nobody else can answer it.
    expect(await outcome(invitationService.accept({ actor: as(stranger), id: mine.id, token: invitationToken(mine.id) }))).toMatchObject({ ok: false, status: 404 })

    await invitationService.accept({ actor: as(invitee), id: mine.id, token: invitationToken(mine.id) })
    expect((await projectService.findById({ actor: as(invitee), id: project.id })).collaborators).toEqual([invitee.id])
    const { members } = await projectService.listMembers({ actor: as(invitee), projectId: String(project.id) })
    expect(members).toEqual([
      { id: owner.id, name: owner.name ?? null, role: 'owner' },
      { id: invitee.id, name: 'Invitee', role: 'collaborator' },
    ])
    expect(JSON.stringify(members)).not.toContain(owner.email)
    // Answered invitations are no longer pending.
    expect(await outcome(invitationService.accept({ actor: as(invitee), id: mine.id, token: invitationToken(mine.id) }))).toMatchObject({ ok: false, status: 404 })
  })

  it('declining leaves the project untouched', async () => {
    const project = await make.project(owner.id)
    await invitationService.invite({ actor: as(owner), projectId: project.id, email: other.email })
    const { docs } = await invitationService.listMine({ actor: as(other) })
    await invitationService.decline({ actor: as(other), id: docs.find((d) => d.project.id === String(project.id))!.id, token: invitationToken(docs.find((d) => d.project.id === String(project.id))!.id) })
    const stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect(stored.collaborators ?? []).toEqual([])
  })

  it('concurrent acceptances all land (no read-modify-write loses one)', async () => {
    const project = await make.project(owner.id)
    const people = (await Promise.all([1, 2, 3, 4, 5].map(() => make.user()))) as User[]
    for (const person of people) await invitationService.invite({ actor: as(owner), projectId: project.id, email: person.email })
    const ids = await Promise.all(
      people.map(async (person) => (await invitationService.listMine({ actor: as(person) })).docs.find((d) => d.project.id === String(project.id))!.id),
    )
    await Promise.all(people.map((person, index) => invitationService.accept({ actor: as(person), id: ids[index]!, token: invitationToken(ids[index]!) })))
    const stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect([...(stored.collaborators as string[])].sort()).toEqual(people.map((person) => person.id).sort())
  })

  it('a removed member is not brought back by a later acceptance', async () => {
    const project = await make.project(owner.id)
    const [first, second] = (await Promise.all([make.user(), make.user()])) as User[]
    for (const person of [first!, second!]) await invitationService.invite({ actor: as(owner), projectId: project.id, email: person.email })
    const idOf = async (person: User) => (await invitationService.listMine({ actor: as(person) })).docs.find((d) => d.project.id === String(project.id))!.id
    await invitationService.accept({ actor: as(first!), id: await idOf(first!), token: invitationToken(await idOf(first!)) })
    await projectService.removeCollaborator({ actor: as(owner), projectId: String(project.id), userId: first!.id })
    await invitationService.accept({ actor: as(second!), id: await idOf(second!), token: invitationToken(await idOf(second!)) })
    const stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect(stored.collaborators).toEqual([second!.id])
  })

  it('owners cannot add collaborators through REST/GraphQL writes, only remove; admins may', async () => {
    const project = await make.project(owner.id, { collaborators: [other.id] })
    const ownerUser = { ...owner, collection: 'users', _strategy: 'local-jwt' }
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [other.id, stranger.id] }, user: ownerUser, overrideAccess: false })
    expect((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).collaborators).toEqual([other.id])
    const created = await loose(payload).create({ collection: slugs.projects, data: { title: 'Packed', collaborators: [stranger.id] }, user: ownerUser, overrideAccess: false })
    expect(created.collaborators ?? []).toEqual([])
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [] }, user: ownerUser, overrideAccess: false })
    expect((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).collaborators).toEqual([])
    const adminUser = { ...admin, collection: 'users', _strategy: 'local-jwt' }
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [stranger.id] }, user: adminUser, overrideAccess: false })
    expect((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).collaborators).toEqual([stranger.id])
  })
})

describe('ownership transfer', () => {
  it('createdBy is not writable by the owner; the new owner accepts within their quota and tier', async () => {
    const project = await make.project(owner.id, { projectSettings: { qualityTier: 'premium' } })
    const ownerUser = { ...owner, collection: 'users', _strategy: 'local-jwt' }
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { createdBy: invitee.id }, user: ownerUser, overrideAccess: false })
    expect(String((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).createdBy)).toBe(owner.id)

    // A free user cannot take over a premium project.
    await invitationService.transfer({ actor: as(owner), projectId: project.id, email: invitee.email })
    const offer = (await invitationService.listMine({ actor: as(invitee) })).docs.find((d) => d.kind === 'ownership')!
    expect(await outcome(invitationService.accept({ actor: as(invitee), id: offer.id, token: invitationToken(offer.id) }))).toMatchObject({ ok: false, status: 403 })
    expect(String((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).createdBy)).toBe(owner.id)

    // Nor one beyond their project quota.
    const full = (await make.user({ subscription: { tier: 'pro', maxProjects: 1 } })) as User
    await make.project(full.id)
    const plain = await make.project(owner.id)
    await invitationService.transfer({ actor: as(owner), projectId: plain.id, email: full.email })
    const offerToFull = (await invitationService.listMine({ actor: as(full) })).docs.find((d) => d.kind === 'ownership')!
    expect(await outcome(invitationService.accept({ actor: as(full), id: offerToFull.id, token: invitationToken(offerToFull.id) }))).toMatchObject({ ok: false, status: 403 })

    // Within quota and tier it goes through.
    const pro = (await make.user({ subscription: { tier: 'pro' } })) as User
    await invitationService.transfer({ actor: as(owner), projectId: project.id, email: pro.email })
    const offerToPro = (await invitationService.listMine({ actor: as(pro) })).docs.find((d) => d.kind === 'ownership')!
    await invitationService.accept({ actor: as(pro), id: offerToPro.id, token: invitationToken(offerToPro.id) })
    expect(String((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).createdBy)).toBe(pro.id)
  })
})

describe('binding to the invited address (issue 19 item 2)', () => {
  const asPerson = (user: User): Actor => ({ payload, user: { ...user, collection: 'users', _strategy: 'local-jwt' } as User })

  it('accepting needs the token mailed to the address: none, a wrong one or a replaced one answer 404', async () => {
    const project = await make.project(owner.id)
    const person = (await make.user()) as User
    await invitationService.invite({ actor: as(owner), projectId: project.id, email: person.email })
    const [listed] = (await invitationService.listMine({ actor: as(person) })).docs.filter((doc) => doc.project.id === String(project.id))
    const first = invitationToken(listed!.id)
    expect(await outcome(invitationService.accept({ actor: as(person), id: listed!.id, token: 'guessed' }))).toMatchObject({ ok: false, status: 404 })
    expect(await outcome(invitationService.accept({ actor: as(person), id: listed!.id } as never))).toMatchObject({ ok: false, status: 400 })
    // Inviting again re-sends: a new token, the old one stops working.
    await invitationService.invite({ actor: as(owner), projectId: project.id, email: person.email })
    const second = invitationToken(listed!.id)
    expect(second).not.toBe(first)
    expect(await outcome(invitationService.accept({ actor: as(person), id: listed!.id, token: first }))).toMatchObject({ ok: false, status: 404 })
    expect(await outcome(invitationService.accept({ actor: as(person), id: listed!.id, token: second }))).toMatchObject({ ok: true })
  })

  it('an account that got the address after the invitation does not see it, and an email change is only pending', async () => {
    const project = await make.project(owner.id, { title: 'Heirloom' })
    const address = `heir-${Date.now()}@example.test`
    await invitationService.transfer({ actor: as(owner), projectId: project.id, email: address })
    // Registered afterwards: the invitation predates the account.
    const late = (await make.user({ email: address })) as User
    expect((await invitationService.listMine({ actor: as(late) })).docs).toEqual([])
    // Someone else asks to move to a free address: the account keeps its address until the token comes back.
    const mover = (await make.user({ password: 'Passw0rd!secret' })) as User
    const free = `free-${Date.now()}@example.test`
    const updated = await payload.update({ collection: slugs.users, id: mover.id, data: { email: free, currentPassword: 'Passw0rd!secret' } as never, user: asPerson(mover).user, overrideAccess: false })
    expect([updated.email, (updated as { pendingEmail?: string }).pendingEmail]).toEqual([mover.email, free])
    await expect(
      payload.update({ collection: slugs.users, id: mover.id, data: { email: free } as never, user: asPerson(mover).user, overrideAccess: false }),
    ).rejects.toMatchObject({ status: 400 })
    expect(String((await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })).createdBy)).toBe(owner.id)
  })

  it('owners list and withdraw; others cannot; a withdrawn invitation cannot be accepted', async () => {
    const project = await make.project(owner.id, { collaborators: [other.id] })
    const person = (await make.user()) as User
    await invitationService.invite({ actor: as(owner), projectId: project.id, email: person.email })
    await invitationService.transfer({ actor: as(owner), projectId: project.id, email: person.email })
    const { docs } = await invitationService.listSent({ actor: as(owner), projectId: String(project.id) })
    expect(docs.map((doc) => doc.kind).sort()).toEqual(['collaborator', 'ownership'])
    expect(await outcome(invitationService.listSent({ actor: as(other), projectId: String(project.id) }))).toMatchObject({ ok: false, status: 403 })
    expect(await outcome(invitationService.listSent({ actor: as(stranger), projectId: String(project.id) }))).toMatchObject({ ok: false, status: 404 })
    const transfer = docs.find((doc) => doc.kind === 'ownership')!
    expect(await outcome(invitationService.withdraw({ actor: as(other), projectId: String(project.id), invitationId: transfer.id }))).toMatchObject({ ok: false, status: 403 })
    expect(await invitationService.withdraw({ actor: as(owner), projectId: String(project.id), invitationId: transfer.id })).toEqual({ status: 'withdrawn', id: transfer.id })
    expect(await outcome(invitationService.accept({ actor: as(person), id: transfer.id, token: invitationToken(transfer.id) }))).toMatchObject({ ok: false, status: 404 })
    expect(await outcome(invitationService.withdraw({ actor: as(owner), projectId: String(project.id), invitationId: transfer.id }))).toMatchObject({ ok: false, status: 404 })
    expect((await invitationService.listSent({ actor: as(owner), projectId: String(project.id) })).docs.map((doc) => doc.kind)).toEqual(['collaborator'])
  })
})
