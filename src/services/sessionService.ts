import type { PayloadRequest } from 'payload'

import type { Session } from '../payload-types'

import type { z } from 'zod'


import { slugs } from '../model/slugs'
import { appendMessage as storeMessage, latestSeq, listMessages, SESSION_HISTORY_CAP, SESSION_MESSAGES, type SessionMessage } from '../records/sessionMessages'
import { recordAudit } from '../audit/recordAudit'
import { findForeignReferences, metadataReferences } from '../records/sessionReferences'
import { relationId } from '../model/references'
import { inWriteTurn } from '../db/documentTurns'
import { ANSWERS_OFFER, OFFER_REPLACED } from '../collections/Sessions/hooks/closeAnsweredOfferOnly'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { type Actor, requestOf, requireUser } from './actor'
import { asCaller, createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import {
  appendMessageSchema,
  type AppendMessageDTO,
  createSessionSchema,
  findSessionsSchema,
  listMessagesSchema,
  type ListMessagesDTO,
  offerChoicesSchema,
  type OfferChoicesDTO,
  patchSessionSchema,
  type PatchSessionDTO,
  startSessionSchema,
  type StartSessionDTO,
  updateSessionSchema,
} from './schemas/sessionSchemas'

export const sessionListSelect = {
  project: true,
  user: true,
  sessionState: true,
  currentStep: true,
  awaitingUserInput: true,
  updatedAt: true,
} as const

const base = createCollectionService({
  slug: slugs.sessions,
  resource: 'Session',
  createSchema: createSessionSchema,
  updateSchema: updateSessionSchema,
  listSelect: sessionListSelect,
  parent: { field: 'project', findById: (args) => projectService.findById(args) },
})

/** The caller's own sessions, most recent first. */
async function findByUser({ actor, ...input }: { actor: Actor } & z.input<typeof findSessionsSchema>): Promise<Page<Session>> {
  const { user } = requireUser(actor)
  const { projectId, sessionState, page, limit } = parseInput(findSessionsSchema, input)
  const where = {
    user: { equals: user.id },
    ...(projectId ? { project: { equals: projectId } } : {}),
    ...(sessionState ? { sessionState: { equals: sessionState } } : {}),
  }
  return base.list({ actor, where, sort: '-updatedAt', page, limit })
}

/** POST /api/v1/sessions: a new, active, empty conversation of the caller's. */
async function start({ actor, data }: { actor: Actor; data: StartSessionDTO }): Promise<Session> {
  return base.create({ actor, data: parseInput(startSessionSchema, data) })
}

/** How many of the latest messages GET /api/v1/sessions/{id} includes. */
export const SESSION_RECENT_MESSAGES = 20
/** A history refresh that keeps meeting newer messages stops after this many writes (each append refreshes anyway). */
const HISTORY_REFRESH_ROUNDS = 5

type MessagePage = { docs: SessionMessage[]; nextCursor: string | null }
export type SessionWithMessages = Session & { messages: MessagePage }

const isFinished = (session: Session) => session.sessionState === 'completed' || session.sessionState === 'error'


/** The session as the caller may see it (its user and admins; 404 for anyone else). */
const findSession = ({ actor, id }: { actor: Actor; id: string }) => base.findById({ actor, id, depth: 0 })

function refuseFinished(session: Session, what: string) {
  if (isFinished(session)) {
    throw new ConflictError({ message: `The session is ${session.sessionState}: a finished session ${what}`, details: { sessionState: session.sessionState } })
  }
}

async function refuseForeignMetadata({ req, session, metadata, path }: { req: PayloadRequest; session: Session; metadata: unknown; path: string }) {
  const issues = await findForeignReferences({ req, projectId: relationId(session.project)!, references: metadataReferences({ metadata, path }) })
  if (issues.length > 0) throw new ValidationError({ issues })
}

/**
 * Refreshes the session document's copy of its last SESSION_HISTORY_CAP messages (`conversationHistory`) from the
 * messages themselves. A partial `$set` of that one field with the adapter (system code: the caller's access to the
 * session was checked before), so it never overwrites a concurrent change of another field. Two refreshes can write
 * in the opposite order of their reads, the older list last: a refresh that then finds a message newer than the
 * list it wrote writes again, so the last write holds every message appended before its check (on both engines).
 */
async function refreshHistory({ actor, req, sessionId }: { actor: Actor; req: PayloadRequest; sessionId: string }) {
  for (let round = 0; round < HISTORY_REFRESH_ROUNDS; round++) {
    const latest = await listMessages({ req, session: sessionId, limit: SESSION_HISTORY_CAP })
    const newestSeq = latest.docs[0]?.seq ?? 0
    const conversationHistory = [...latest.docs]
      .reverse()
      .map(({ id, role, content, timestamp, metadata }) => ({ id, role, content, timestamp, metadata: metadata ?? null }))
    await actor.payload.db.updateOne({ collection: slugs.sessions, id: sessionId, data: { conversationHistory }, req, returning: false })
    if ((await latestSeq({ req, session: sessionId })) <= newestSeq) return
  }
}

/** The session with its latest messages (newest first) and the cursor to older ones. */
async function findWithMessages({ actor, id }: { actor: Actor; id: string }): Promise<SessionWithMessages> {
  const session = await findSession({ actor, id })
  const messages = await listMessages({ req: await requestOf(actor), session: session.id, limit: SESSION_RECENT_MESSAGES })
  return { ...session, messages }
}

/**
 * Stores one message and its audit entry (the messages live in a raw collection, which Payload's audit hooks do not
 * see): who added which message, as for any create.
 */
async function storeAudited(req: PayloadRequest, message: Parameters<typeof storeMessage>[0]): Promise<SessionMessage> {
  const stored = await storeMessage(message)
  await recordAudit({
    req,
    entry: { operation: 'create', collection: SESSION_MESSAGES, documentId: stored.id, changedFields: ['session', 'role', 'content', ...(stored.metadata !== undefined ? ['metadata'] : [])] },
  })
  return stored
}

/** Appends one message (never replaces the history); concurrent appends all land, each with its own seq. */
async function appendMessage({ actor, sessionId, ...data }: { actor: Actor; sessionId: string } & AppendMessageDTO): Promise<SessionMessage> {
  const input = parseInput(appendMessageSchema, data)
  const session = await findSession({ actor, id: sessionId })
  refuseFinished(session, 'takes no more messages')
  const req = await requestOf(actor)
  await refuseForeignMetadata({ req, session, metadata: input.metadata, path: 'metadata' })
  const message = await storeAudited(req, { req, session: session.id, ...input })
  await refreshHistory({ actor, req, sessionId: session.id })
  return message
}

/** One page of the conversation, newest first; pass the returned nextCursor as `before` for the older page. */
async function findMessages({ actor, sessionId, ...query }: { actor: Actor; sessionId: string } & ListMessagesDTO): Promise<MessagePage> {
  const { limit, before } = parseInput(listMessagesSchema, query)
  const session = await findSession({ actor, id: sessionId })
  return listMessages({ req: await requestOf(actor), session: session.id, limit, before })
}

/**
 * Changes the step, the context (documents of the session's project only) or the state (active ⇄ paused, then
 * completed or error for good: 409). The context is merged field by field into the stored one.
 */
async function patch({ actor, id, data }: { actor: Actor; id: string; data: PatchSessionDTO }): Promise<Session> {
  const input = parseInput(patchSessionSchema, data)
  const session = await findSession({ actor, id })
  if (input.sessionState === undefined || input.sessionState === session.sessionState) refuseFinished(session, 'is not changed any more')
  const changes = {
    ...input,
    ...(input.contextData ? { contextData: { ...session.contextData, ...input.contextData } } : {}),
  }
  return (await actor.payload.update({ collection: slugs.sessions, id: session.id, data: changes, depth: 0, ...asCaller(actor) })) as Session
}

/** Offers the user choices: stored as `lastChoices`, and the session now awaits the user's answer. */
async function offerChoices({ actor, sessionId, ...data }: { actor: Actor; sessionId: string } & OfferChoicesDTO): Promise<Session> {
  const { choices } = parseInput(offerChoicesSchema, data)
  const session = await findSession({ actor, id: sessionId })
  refuseFinished(session, 'offers no choices')
  return inSessionTurn(actor, session.id, async () =>
    (await actor.payload.update({
      collection: slugs.sessions,
      id: session.id,
      data: { lastChoices: choices, awaitingUserInput: true },
      depth: 0,
      ...asCaller(actor),
    })) as Session,
  )
}

/**
 * An offer's write and a pick's write take the session's write turn (FerretDB only, where no update is atomic;
 * src/db/documentTurns.ts), so that the pick's check of the stored offer and its write see no offer land between
 * them. On MongoDB the two writes conflict inside their transactions instead.
 */
const inSessionTurn = <T>(actor: Actor, sessionId: string, write: () => Promise<T>) =>
  inWriteTurn(actor.payload.db.connection.db!, `${slugs.sessions}:${sessionId}`, write)

/**
 * The user picks one of the offered choices: recorded as the user's message (metadata.choice), and the session no
 * longer awaits input. An offer is answered once: a second, different pick, even a concurrent one, is a 409; the
 * same pick repeated while the session still awaits the answer completes it (idempotent).
 */
async function pickChoice({ actor, sessionId, choiceId }: { actor: Actor; sessionId: string; choiceId: string }): Promise<{ message: SessionMessage; session: Session }> {
  const session = await findSession({ actor, id: sessionId })
  refuseFinished(session, 'takes no more answers')
  const offered = session.lastChoices ?? []
  if (!session.awaitingUserInput || offered.length === 0) {
    throw new ConflictError({ message: 'No choices are awaiting an answer on this session', details: { reason: 'no-open-choices' } })
  }
  const choice = offered.find((candidate) => candidate.choiceId === choiceId)
  if (!choice) throw new NotFoundError({ resource: 'Choice', id: choiceId })
  const req = await requestOf(actor)
  const { label, action, metadata } = choice
  const message = await storeAudited(req, {
    req,
    session: session.id,
    role: 'user',
    content: label || choiceId,
    metadata: { choice: { choiceId, label, action, ...(metadata !== undefined && metadata !== null ? { metadata } : {}) } },
    // The offer's identity: its first row id, new with every offer.
    pickOf: String(offered[0].id ?? offered[0].choiceId),
    // The same pick again: the session update after a stored pick failed (e.g. a transaction race whose retries were
    // spent), and the client retries. It completes the pick instead of a 409 that would leave the session waiting.
    isSamePick: (stored) => (stored.metadata as { choice?: { choiceId?: string } } | undefined)?.choice?.choiceId === choiceId,
  })
  // Only the offer this pick answers is closed (closeAnsweredOfferOnly): an offer made since the session was read
  // stays open, and the answer is the session awaiting it.
  const offerRow = offered[0].id
  const updated = await inSessionTurn(actor, session.id, async () =>
    (await actor.payload
      .update({
        collection: slugs.sessions,
        id: session.id,
        data: { lastChoices: [], awaitingUserInput: false },
        depth: 0,
        ...asCaller(actor),
        ...(offerRow ? { context: { [ANSWERS_OFFER]: offerRow } } : {}),
      })
      .catch(async (err: unknown) => {
        if ((err as ConflictError).details?.reason !== OFFER_REPLACED) throw err
        return findSession({ actor, id: session.id })
      })) as Session,
  )
  await refreshHistory({ actor, req, sessionId: session.id })
  return { message, session: updated }
}

export const sessionService = {
  create: base.create,
  start,
  findById: base.findById,
  findWithMessages,
  findByUser,
  update: base.update,
  patch,
  appendMessage,
  findMessages,
  offerChoices,
  pickChoice,
  delete: base.delete,
}
