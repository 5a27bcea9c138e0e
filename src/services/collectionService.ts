import type {
  CollectionSlug,
  DataFromCollectionSlug,
  PaginatedDocs,
  RequiredDataFromCollectionSlug,
  SelectType,
  Sort,
  Where,
} from 'payload'
import type { z } from 'zod'

import type { Actor } from './actor'

import { NotFoundError } from '../errors'
import { getCache } from '../lib/cache'
import { principalKey, requireUser } from './actor'
import { afterKeyset, cursorAfter, decodeCursor, type KeysetSort, keysetSort } from './keyset'
import { idSchema, type Page, PAGE_SIZE, parseInput, toPage } from './schemas/common'

/** Local API options that make Payload act as the caller: its access rules decide. */
export const asCaller = (actor: Actor) => ({
  user: actor.user,
  overrideAccess: false as const,
  ...(actor.req ? { req: actor.req } : {}),
})

export type ListArgs = {
  actor: Actor
  where: Where
  sort?: Sort
  page?: number
  limit?: number
  select?: SelectType
  depth?: number
}

/** Reads a parent document as the caller (its service's findById): 404 when the caller cannot see it. */
type ParentRead = (args: { actor: Actor; id: string }) => Promise<unknown>

/**
 * The operations every collection service shares (create, findById, list, update, delete), each acting as the
 * caller. Domain services spread these and add their own; all take one object argument.
 *
 * - `parent`: the document a new one belongs to (a scene's episode, a character's project). A create first reads
 *   it as the caller, so a parent the caller cannot see answers 404 before anything is written; with `readThrough`
 *   every read of the child also re-reads the parent (itself cached), so losing access to the parent hides the
 *   child at once.
 * - `cached`: single-document reads come from the service cache when fresh, one entry per caller (principalKey:
 *   account, auth method, role and version) tagged with the document; the collection's hooks invalidate the tag on
 *   every write (src/hooks/invalidateCachedReads.ts).
 */
export function createCollectionService<
  TSlug extends CollectionSlug,
  TCreate extends z.ZodType,
  TUpdate extends z.ZodType,
  TDoc extends DataFromCollectionSlug<TSlug> & { id: string } = DataFromCollectionSlug<TSlug> & { id: string },
>({
  slug,
  resource,
  createSchema,
  updateSchema,
  listSelect,
  detailDepth = 0,
  parent,
  cached,
}: {
  slug: TSlug
  /** Name used in errors: "Project not found". */
  resource: string
  createSchema: TCreate
  updateSchema: TUpdate
  /** The fields list views return (projection). */
  listSelect: SelectType
  /** Population depth of single-document reads. */
  detailDepth?: number
  parent?: { field: keyof z.output<TCreate> & keyof TDoc & string; findById: ParentRead; readThrough?: boolean }
  cached?: { tag: (id: string) => string }
}) {
  const load = async (actor: Actor, id: string, depth: number) =>
    (await actor.payload.findByID({ collection: slug, id, depth, disableErrors: true, ...asCaller(actor) })) as TDoc | null

  const read = async (actor: Actor, id: string, depth: number): Promise<TDoc | null> => {
    if (!cached || depth !== detailDepth) return load(actor, id, depth)
    const { user } = requireUser(actor)
    return getCache().getOrLoad({
      key: `${slug}:${id}:${depth}:${principalKey(user)}`,
      tags: [cached.tag(id)],
      load: () => load(actor, id, depth),
      shouldStore: (doc) => doc !== null,
    })
  }

  const parentIdOf = (doc: object) => {
    const value = parent ? (doc as Record<string, unknown>)[parent.field] : undefined
    return typeof value === 'object' && value !== null ? String((value as { id?: unknown }).id ?? '') : String(value ?? '')
  }

  const findById = async ({ actor, id, depth = detailDepth }: { actor: Actor; id: string; depth?: number }): Promise<TDoc> => {
    requireUser(actor)
    const docId = parseInput(idSchema, id)
    const doc = await read(actor, docId, depth)
    if (!doc) throw new NotFoundError({ resource, id: docId })
    if (parent?.readThrough) {
      try {
        await parent.findById({ actor, id: parentIdOf(doc) })
      } catch (err) {
        if (err instanceof NotFoundError) throw new NotFoundError({ resource, id: docId })
        throw err
      }
    }
    return doc
  }

  const list = async ({ actor, where, sort, page = 1, limit = PAGE_SIZE.default, select = listSelect, depth = 0 }: ListArgs): Promise<Page<TDoc>> => {
    requireUser(actor)
    const result = await actor.payload.find({
      collection: slug,
      where,
      sort,
      page,
      limit: Math.min(Math.max(1, limit), PAGE_SIZE.max),
      select,
      depth,
      ...asCaller(actor),
    })
    return toPage(result as unknown as PaginatedDocs<TDoc>)
  }

  const create = async ({ actor, data }: { actor: Actor; data: z.input<TCreate> }): Promise<TDoc> => {
    // A create under a parent checks the input first, then the parent (whose read requires a signed-in caller).
    if (!parent) requireUser(actor)
    const input = parseInput(createSchema, data) as z.output<TCreate> & object
    if (parent) await parent.findById({ actor, id: parentIdOf(input) })
    const doc = await actor.payload.create({
      collection: slug,
      // The schema holds what a caller may send; Payload's hooks and validation fill and check the rest.
      data: input as unknown as RequiredDataFromCollectionSlug<TSlug>,
      depth: 0,
      ...asCaller(actor),
    })
    return doc as unknown as TDoc
  }

  const update = async ({ actor, id, data }: { actor: Actor; id: string; data: z.input<TUpdate> }): Promise<TDoc> => {
    const input = parseInput(updateSchema, data)
    const existing = await findById({ actor, id, depth: 0 })
    const doc = await actor.payload.update({
      collection: slug,
      id: existing.id,
      // Payload's own parameter type for an update by id (its last overload).
      data: input as Parameters<typeof actor.payload.update<TSlug, SelectType>>[0]['data'],
      depth: 0,
      ...asCaller(actor),
    })
    return doc as unknown as TDoc
  }

  const remove = async ({ actor, id }: { actor: Actor; id: string }): Promise<boolean> => {
    const existing = await findById({ actor, id, depth: 0 })
    // depth 0: the deleted document is not returned, so its relations need no population (a read per relation).
    await actor.payload.delete({ collection: slug, id: existing.id, depth: 0, ...asCaller(actor) })
    return true
  }

  /**
   * A list that pages by keyset past the first pages: the same filter and order as `list`, the id as the last
   * tie-breaker, and `nextCursor` on every page (null on the last). With `cursor` (the previous page's nextCursor) it
   * returns the rows after that one, so rows inserted or deleted meanwhile neither repeat nor skip a row; `page` then
   * counts from the cursor. `scope` names the list and its filters, so a cursor only works on the list it came from.
   */
  const listByKeyset = async ({ sort, scope, cursor, ...args }: Omit<ListArgs, 'sort'> & { sort: KeysetSort; scope: string; cursor?: string }) => {
    const keyset = cursor ? decodeCursor(scope, cursor) : undefined
    const select = { ...(args.select ?? listSelect), ...Object.fromEntries(sort.map((key) => [key.replace(/^-/, ''), true])) } as SelectType
    const page = await list({
      ...args,
      where: keyset ? { and: [args.where, afterKeyset(sort, keyset)] } : args.where,
      sort: keysetSort(sort),
      page: keyset ? 1 : args.page,
      select,
    })
    const last = page.docs.at(-1) as Record<string, unknown> | undefined
    return {
      ...page,
      hasPrevPage: page.hasPrevPage || Boolean(keyset),
      nextCursor: page.hasNextPage && last ? cursorAfter(scope, sort, last) : null,
    }
  }

  return { create, findById, list, listByKeyset, update, delete: remove }
}
