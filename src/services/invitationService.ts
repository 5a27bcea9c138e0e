import type { Project, ProjectInvitation } from '../payload-types'

import { randomUUID, timingSafeEqual } from 'node:crypto'

import { isAdminUser } from '../model/roles'
import { env } from '../lib/env'
import { hashSecretToken, newSecretToken } from '../lib/secretToken'
import { slugs } from '../model/slugs'
import { syncCollaborators } from '../records/memberships'
import { relationId } from '../model/references'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors'
import { type Actor, requireUser } from './actor'
import { projectService } from './projectService'
import { idSchema, parseInput } from './schemas/common'
import {
  type AnswerInvitationDTO,
  answerInvitationSchema,
  type InvitationDTO,
  invitationSchema,
  withdrawInvitationSchema,
} from './schemas/invitationSchemas'

type Kind = 'collaborator' | 'ownership'

/** What an invitee sees of a pending invitation: enough to decide, nothing of the other members. */
export type PendingInvitation = { id: string; kind: Kind; project: { id: string; title: string }; createdAt: string }

/** What the sender sees of what they sent and is still open: whom, which kind, when — never the token. */
export type SentInvitation = { id: string; kind: Kind; email: string; createdAt: string }

// Every call below is system code (overrideAccess: true) after the service's own check of the caller: nobody
// writes invitations through REST/GraphQL, and an invitee cannot read the project before accepting.
const system = { overrideAccess: true as const, depth: 0 }

/**
 * The unique pendingKey refused the insert. The adapter reports a duplicate key as a ValidationError on the field —
 * with an empty path on FerretDB, which does not say which index; pendingKey is this collection's only unique one.
 */
const isPendingAlready = (err: unknown) =>
  Boolean((err as { data?: { errors?: { path?: string }[] } })?.data?.errors?.every((error) => error.path === 'pendingKey' || error.path === ''))

/**
 * Owner (or admin) invites an address into the project, as collaborator or as the next owner. The answer is the
 * same whether or not the address has an account, or was already invited: nothing tells the sender who exists.
 */
async function invite({ actor, projectId, kind, ...input }: { actor: Actor; projectId: string; kind: Kind } & InvitationDTO) {
  const { user } = requireUser(actor)
  const { email } = parseInput(invitationSchema, input)
  const project = await requireOwnedProject({ actor, projectId, verb: 'invite' })
  const { token, hash } = newSecretToken()
  const pendingKey = `${project.id}:${kind}:${email}`
  let invitationId: string
  try {
    const created = await actor.payload.create({
      collection: slugs.projectInvitations,
      data: { project: project.id, kind, email, status: 'pending', invitedBy: user.id, pendingKey, tokenHash: hash },
      ...system,
    })
    invitationId = String(created.id)
  } catch (err) {
    // Already pending: the unique pendingKey arbitrated; the same answer as a fresh invitation, and the address gets
    // a fresh token (the earlier one stops working), so "invite again" re-sends.
    if (!isPendingAlready(err)) throw err
    const { docs } = await actor.payload.find({ collection: slugs.projectInvitations, where: { pendingKey: { equals: pendingKey } }, limit: 1, ...system })
    if (!docs[0]) return { status: 'invited' as const, email, kind }
    invitationId = String(docs[0].id)
    await actor.payload.update({ collection: slugs.projectInvitations, id: invitationId, data: { tokenHash: hash }, ...system })
  }
  await mailInvitation({ actor, email, kind, title: project.title, invitationId, token })
  return { status: 'invited' as const, email, kind }
}

/**
 * The token goes only to the invited address: accepting needs it, so holding an account with that address (registered
 * or moved to it) grants nothing without the mail.
 */
async function mailInvitation({ actor, email, kind, title, invitationId, token }: { actor: Actor; email: string; kind: Kind; title: string; invitationId: string; token: string }) {
  const what = kind === 'ownership' ? `take over the project "${title}"` : `join the project "${title}"`
  await actor.payload.sendEmail({
    to: email,
    subject: kind === 'ownership' ? `You are offered the project "${title}"` : `You are invited to "${title}"`,
    text: [
      `You are invited to ${what}.`,
      `Invitation: ${invitationId}`,
      `Token: ${token}`,
      `Sign in (or register) with this address, then accept on your dashboard with the token, or POST ${env.serverUrl}/api/v1/invitations/${invitationId}/accept with {"token": "<the token>"}.`,
    ].join('\n'),
  })
}

/** The project, when the caller owns it or is an admin; 403 for a member, 404 for anyone who cannot read it. */
async function requireOwnedProject({ actor, projectId, verb }: { actor: Actor; projectId: string; verb: string }): Promise<Project> {
  const { user } = requireUser(actor)
  const project = await projectService.findById({ actor, id: parseInput(idSchema, projectId) })
  if (relationId(project.createdBy) !== String(user.id) && !isAdminUser(actor.user)) {
    throw new ForbiddenError({ message: `Only the project owner or an admin can ${verb}` })
  }
  return project
}

/** The project's invitations and transfers still waiting for an answer, newest first: for the owner and admins. */
async function listSent({ actor, projectId }: { actor: Actor; projectId: string }): Promise<{ docs: SentInvitation[] }> {
  const project = await requireOwnedProject({ actor, projectId, verb: 'see its invitations' })
  const { docs } = await actor.payload.find({
    collection: slugs.projectInvitations,
    where: { and: [{ project: { equals: project.id } }, { status: { equals: 'pending' } }] },
    sort: '-createdAt',
    limit: 100,
    ...system,
  })
  return {
    docs: (docs as ProjectInvitation[]).map((invitation) => ({
      id: String(invitation.id),
      kind: invitation.kind as Kind,
      email: invitation.email,
      createdAt: invitation.createdAt,
    })),
  }
}

/**
 * The owner (or an admin) takes back a pending invitation or transfer: it can no longer be accepted (its token
 * stops working). Anything else — answered, another project's, unknown — is 404.
 */
async function withdraw({ actor, ...input }: { actor: Actor; projectId: string; invitationId: string }) {
  const { projectId, invitationId } = parseInput(withdrawInvitationSchema, input)
  const project = await requireOwnedProject({ actor, projectId, verb: 'withdraw its invitations' })
  const invitation = (await actor.payload.findByID({ collection: slugs.projectInvitations, id: invitationId, disableErrors: true, ...system })) as ProjectInvitation | null
  if (!invitation || invitation.status !== 'pending' || relationId(invitation.project) !== String(project.id)) {
    throw new NotFoundError({ resource: 'Invitation', id: invitationId })
  }
  await close({ actor, invitation, status: 'withdrawn' })
  return { status: 'withdrawn' as const, id: invitationId }
}

/** The caller's pending invitations, newest first. */
async function listMine({ actor }: { actor: Actor }): Promise<{ docs: PendingInvitation[] }> {
  const { user } = requireUser(actor)
  // Only invitations sent while the account already had its address: one that arrived at the address before the
  // account had it (registered or moved to it later) is for whoever read the mail then, not for this account.
  const { docs } = await actor.payload.find({
    collection: slugs.projectInvitations,
    where: {
      and: [
        { email: { equals: user.email.toLowerCase() } },
        { status: { equals: 'pending' } },
        { createdAt: { greater_than_equal: addressSince(user) } },
      ],
    },
    sort: '-createdAt',
    pagination: false,
    ...system,
  })
  const invitations = docs as ProjectInvitation[]
  const projects = await actor.payload.find({
    collection: slugs.projects,
    where: { id: { in: invitations.map((invitation) => relationId(invitation.project)) } },
    select: { title: true },
    pagination: false,
    ...system,
  })
  const titles = new Map((projects.docs as Project[]).map((project) => [String(project.id), project.title]))
  return {
    docs: invitations
      .filter((invitation) => titles.has(relationId(invitation.project)!))
      .map((invitation) => ({
        id: String(invitation.id),
        kind: invitation.kind as Kind,
        project: { id: relationId(invitation.project)!, title: titles.get(relationId(invitation.project)!)! },
        createdAt: invitation.createdAt,
      })),
  }
}

/** Since when the account has its current address: its confirmed change, or its registration. */
export function addressSince(user: { emailSince?: string | null; createdAt: string }): string {
  return user.emailSince ?? user.createdAt
}

const tokenMatches = (token: string, stored: unknown) => {
  if (typeof stored !== 'string') return false
  const given = Buffer.from(hashSecretToken(token), 'hex')
  const expected = Buffer.from(stored, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * A pending invitation addressed to the caller whose mailed token the caller presents; anything else — others'
 * invitations, a wrong or old token, an answered or withdrawn one — is the same "not found".
 */
async function findPendingForCaller({ actor, id, ...input }: { actor: Actor; id: string } & AnswerInvitationDTO): Promise<ProjectInvitation> {
  const { user } = requireUser(actor)
  const { token } = parseInput(answerInvitationSchema, input)
  const invitation = (await actor.payload.findByID({
    collection: slugs.projectInvitations,
    id: parseInput(idSchema, id),
    disableErrors: true,
    showHiddenFields: true,
    ...system,
  })) as (ProjectInvitation & { tokenHash?: string }) | null
  if (!invitation || invitation.status !== 'pending' || invitation.email !== user.email.toLowerCase() || !tokenMatches(token, invitation.tokenHash)) {
    throw new NotFoundError({ resource: 'Invitation', id })
  }
  return invitation
}

/** Closes an invitation: it leaves the pending slot (its pendingKey becomes its own id). */
async function close({ actor, invitation, status, userId }: { actor: Actor; invitation: ProjectInvitation; status: 'accepted' | 'declined' | 'withdrawn'; userId?: string }) {
  await actor.payload.update({
    collection: slugs.projectInvitations,
    id: invitation.id,
    data: { status, respondedAt: new Date().toISOString(), pendingKey: `closed:${randomUUID()}`, tokenHash: null, ...(userId ? { user: userId } : {}) },
    ...system,
  })
}

/**
 * The invitee accepts. A collaborator invitation adds them (syncCollaborators); an ownership invitation makes them
 * the owner — through the Projects hooks, so their project quota and their tier (a premium project needs the
 * premium-quality feature) apply as for a project they create.
 */
async function accept({ actor, id, ...answer }: { actor: Actor; id: string } & AnswerInvitationDTO) {
  const { user } = requireUser(actor)
  const invitation = await findPendingForCaller({ actor, id, ...answer })
  const projectId = relationId(invitation.project)!
  const project = (await actor.payload.findByID({ collection: slugs.projects, id: projectId, ...system })) as Project
  if (invitation.kind === 'ownership') {
    if (relationId(project.createdBy) === String(user.id)) throw new ConflictError({ message: 'You already own this project' })
    // As the new owner (req carries them): the quota hooks hold them to their own subscription. Only the owner is
    // written: the collaborators are recomputed from the membership records (which drops the new owner), never
    // written from this read, which a concurrent acceptance may have outdated.
    await actor.payload.update({
      collection: slugs.projects,
      id: projectId,
      data: { createdBy: user.id },
      overrideAccess: true,
      user,
      ...(actor.req ? { req: actor.req } : {}),
    })
    await close({ actor, invitation, status: 'accepted', userId: String(user.id) })
    await syncCollaborators({ payload: actor.payload, projectId })
    return { status: 'accepted' as const, kind: invitation.kind, project: { id: projectId } }
  }
  if (relationId(project.createdBy) === String(user.id)) throw new ConflictError({ message: 'You own this project' })
  await close({ actor, invitation, status: 'accepted', userId: String(user.id) })
  await syncCollaborators({ payload: actor.payload, projectId })
  return { status: 'accepted' as const, kind: invitation.kind, project: { id: projectId } }
}

async function decline({ actor, id, ...answer }: { actor: Actor; id: string } & AnswerInvitationDTO) {
  const invitation = await findPendingForCaller({ actor, id, ...answer })
  await close({ actor, invitation, status: 'declined' })
  return { status: 'declined' as const }
}

export const invitationService = {
  invite: (args: { actor: Actor; projectId: string } & InvitationDTO) => invite({ ...args, kind: 'collaborator' }),
  transfer: (args: { actor: Actor; projectId: string } & InvitationDTO) => invite({ ...args, kind: 'ownership' }),
  listMine,
  listSent,
  withdraw,
  accept,
  decline,
}
