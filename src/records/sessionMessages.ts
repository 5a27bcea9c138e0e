import type { PayloadRequest } from 'payload'

import { Types } from 'mongoose'

import { ConflictError } from '../errors'
import { isDuplicateKeyError } from '../db/duplicateKey'

/**
 * The messages of a conversation, one document each in the internal collection `session-messages`, numbered per
 * session by `seq`. A unique (session, seq) index is the arbiter: an append reads the highest number and inserts
 * the next; a concurrent append that took it makes the insert fail and the append moves on. That insert is atomic on
 * MongoDB and on FerretDB (where no update is), so concurrent appends all land, in one total order.
 *
 * A second unique index, (session, key), makes a choice pickable once: a pick's key names the offer
 * (`pick:<offer id>`), every other message's key is its own seq. The collection is reached only through
 * src/services/sessionService.ts, which first reads the session as the caller (its access rules decide).
 */
export const SESSION_MESSAGES = 'session-messages'

/** How many of the latest messages the session document keeps in `conversationHistory` (older ones stay readable by cursor). */
export const SESSION_HISTORY_CAP = 50
const indexed = new WeakSet<object>()

export type SessionMessage = {
  id: string
  session: string
  seq: number
  role: 'user' | 'assistant' | 'system'
  content: string
  metadata?: unknown
  timestamp: string
}

type StoredMessage = {
  _id: Types.ObjectId
  session: string
  seq: number
  key: string
  role: SessionMessage['role']
  content: string
  metadata?: unknown
  timestamp: Date
}

async function messages(req: PayloadRequest) {
  const db = req.payload.db.connection.db!
  const collection = db.collection<StoredMessage>(SESSION_MESSAGES)
  if (!indexed.has(db)) {
    await collection.createIndex({ session: 1, seq: 1 }, { unique: true, name: 'session_seq' })
    await collection.createIndex({ session: 1, key: 1 }, { unique: true, name: 'session_key' })
    indexed.add(db)
  }
  return collection
}

const toMessage = (doc: StoredMessage): SessionMessage => ({
  id: doc._id.toHexString(),
  session: doc.session,
  seq: doc.seq,
  role: doc.role,
  content: doc.content,
  ...(doc.metadata !== undefined ? { metadata: doc.metadata } : {}),
  timestamp: doc.timestamp.toISOString(),
})

async function highestSeq(collection: Awaited<ReturnType<typeof messages>>, session: string): Promise<number> {
  const [last] = await collection.find({ session }).sort({ seq: -1 }).limit(1).project<{ seq: number }>({ seq: 1 }).toArray()
  return last?.seq ?? 0
}

/** The seq of the session's newest message (0 for none). */
export async function latestSeq({ req, session }: { req: PayloadRequest; session: string }): Promise<number> {
  return highestSeq(await messages(req), session)
}

/**
 * Appends one message with the next free seq. `pickOf` makes it the one pick of that offer (409 for a second);
 * `isSamePick` tells a repeat of the stored pick (the client retrying after a failure that followed the insert),
 * which answers the stored message instead, so that the step after the pick can still be completed.
 */
export async function appendMessage({
  req,
  session,
  role,
  content,
  metadata,
  pickOf,
  isSamePick,
}: {
  req: PayloadRequest
  session: string
  role: SessionMessage['role']
  content: string
  metadata?: unknown
  pickOf?: string
  isSamePick?: (stored: SessionMessage) => boolean
}): Promise<SessionMessage> {
  const collection = await messages(req)
  let seq = (await highestSeq(collection, session)) + 1
  // Every failed insert means another append took that seq, so attempts are bounded by the appends in flight.
  for (let attempt = 0; attempt < 500; attempt++) {
    const doc: StoredMessage = {
      _id: new Types.ObjectId(),
      session,
      seq,
      key: pickOf ? `pick:${pickOf}` : `seq:${seq}`,
      role,
      content,
      ...(metadata !== undefined ? { metadata } : {}),
      timestamp: new Date(),
    }
    try {
      await collection.insertOne(doc)
      return toMessage(doc)
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    const picked = pickOf ? await collection.findOne({ session, key: `pick:${pickOf}` }) : null
    if (picked) {
      if (isSamePick?.(toMessage(picked))) return toMessage(picked)
      throw new ConflictError({ message: 'This choice was already made', details: { reason: 'choice-already-picked' } })
    }
    seq = Math.max(seq + 1, (await highestSeq(collection, session)) + 1)
  }
  throw new ConflictError({ message: 'Too many concurrent messages on this session; retry' })
}

/** One page of a session's messages, newest first; `before` is a seq (the previous page's nextCursor). */
export async function listMessages({
  req,
  session,
  limit,
  before,
}: {
  req: PayloadRequest
  session: string
  limit: number
  before?: number
}): Promise<{ docs: SessionMessage[]; nextCursor: string | null }> {
  const collection = await messages(req)
  const docs = await collection
    .find({ session, ...(before !== undefined ? { seq: { $lt: before } } : {}) })
    .sort({ seq: -1 })
    .limit(limit + 1)
    .toArray()
  const page = docs.slice(0, limit)
  return { docs: page.map(toMessage), nextCursor: docs.length > limit ? String(page[page.length - 1].seq) : null }
}

/** Removes a deleted session's messages. */
export async function deleteMessages({ req, session }: { req: PayloadRequest; session: string }): Promise<void> {
  await (await messages(req)).deleteMany({ session })
}
