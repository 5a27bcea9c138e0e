import type { PayloadRequest } from 'payload'

import { slugs } from '../model/slugs'
import { ConflictError } from '../errors'
import { isDuplicateKeyError } from '../db/duplicateKey'

/**
 * Where numbers are kept: episodes numbered within their project, scenes within their episode. The validators and
 * the assigning hooks of both come from this table (src/hooks/numbering.ts).
 */
export const numbered = {
  episodes: { collection: slugs.episodes, parent: 'project', number: 'episodeNumber', taken: (value: number) => `The project already has an episode ${value}.` },
  scenes: { collection: slugs.scenes, parent: 'episode', number: 'sceneNumber', taken: (value: number) => `The episode already has a scene ${value}.` },
} as const

export type NumberedKind = keyof typeof numbered

/**
 * Numbers of one kind under one parent: episodes of a project, scenes of an episode. `projectId` is the parent's
 * project (the parent itself for episodes): every query names it, so on a sharded cluster it goes to the one shard
 * holding the project, and the unique (project, …, number) index serves it.
 */
type NumberScope = { req: PayloadRequest; kind: NumberedKind; parentId: string; projectId: string }

/**
 * The children of a parent, as a where clause that names the project first. A scene whose project is not known yet
 * (refused by the consistency checks anyway) is counted by its episode alone.
 */
const childrenOf = ({ kind, parentId, projectId }: Omit<NumberScope, 'req' | 'projectId'> & { projectId?: string }) => ({
  ...(projectId ? { project: { equals: projectId } } : {}),
  [numbered[kind].parent]: { equals: parentId },
})

/** Whether another child of the parent already holds `value`. */
export async function isNumberTaken({
  req,
  value,
  excludeId,
  ...scope
}: Omit<NumberScope, 'projectId'> & { projectId?: string; value: number; excludeId?: string | number }): Promise<boolean> {
  const { collection, number } = numbered[scope.kind]
  const { totalDocs } = await req.payload.count({
    collection,
    where: {
      and: [childrenOf(scope), { [number]: { equals: value } }, ...(excludeId ? [{ id: { not_equals: excludeId } }] : [])],
    },
    overrideAccess: true, // uniqueness counts every child of the parent, whatever the caller may read
    req,
  })
  return totalDocs > 0
}

/** The highest number used under a parent (0 when it has no children): one indexed query, sorted, limit 1. */
export async function highestNumber({ req, ...scope }: NumberScope): Promise<number> {
  const { collection, number } = numbered[scope.kind]
  const { docs } = await req.payload.find({
    collection,
    where: childrenOf(scope),
    // createdAt named (ascending) so that Payload adds no `-createdAt` tie-breaker: { number: -1, createdAt: 1 } is the
    // (project, …, number, createdAt desc) read index backwards, with no in-memory sort (src/db/indexes.ts)
    sort: [`-${number}`, 'createdAt'],
    limit: 1,
    select: { [number]: true },
    depth: 0,
    pagination: false,
    overrideAccess: true, // numbering counts every child of the parent, whatever the caller may read
    req,
  })
  // Never below 0: a scene re-ordering parks scenes at negative numbers for a moment (src/records/sceneOrder.ts).
  return Math.max(0, Number((docs[0] as unknown as Record<string, unknown> | undefined)?.[number] ?? 0))
}

/** A reservation younger than this belongs to a create still in flight; an older one without its child was abandoned. */
const RESERVATION_TTL_MS = 30_000
const RESERVATIONS = 'number-reservations'
const indexed = new WeakSet<object>()

/**
 * The next free number under a parent, for a create that left it empty. Two concurrent creates would both read the
 * same highest number and all but one would fail on the unique index, so each candidate is first reserved by an
 * insert into a collection with a unique (scope, number) index — atomic on MongoDB and on FerretDB alike (where
 * nothing else is). A taken candidate moves on to the next number. A reservation whose create failed is reused once
 * it is older than RESERVATION_TTL_MS and no child holds the number. Reservations are written outside the request's
 * transaction so that racing creates see each other's at once.
 */
export async function reserveNextNumber({ req, ...numberScope }: NumberScope): Promise<number> {
  const { kind, parentId } = numberScope
  const db = req.payload.db.connection.db!
  const reservations = db.collection(RESERVATIONS)
  if (!indexed.has(db)) {
    await reservations.createIndex({ scope: 1, number: 1 }, { unique: true })
    indexed.add(db)
  }
  const scope = `${kind}:${parentId}`
  const { collection, number } = numbered[kind]
  let candidate = (await highestNumber({ req, ...numberScope })) + 1
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await reservations.insertOne({ scope, number: candidate, reservedAt: new Date() })
      return candidate
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    const reservation = await reservations.findOne({ scope, number: candidate })
    const isAbandoned =
      reservation !== null &&
      Date.now() - new Date(reservation.reservedAt).getTime() > RESERVATION_TTL_MS &&
      (await req.payload.count({ collection, where: { ...childrenOf(numberScope), [number]: { equals: candidate } }, overrideAccess: true, req })).totalDocs === 0
    if (isAbandoned) {
      // Racing reusers may both delete it; the insert that follows still admits only one of them.
      await reservations.deleteOne({ _id: reservation._id })
    } else {
      candidate += 1
    }
  }
  throw new ConflictError({ message: `Could not assign a ${number}: too many concurrent creates. Retry, or give the number.` })
}
