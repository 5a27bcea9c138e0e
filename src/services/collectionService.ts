import type { CollectionSlug, PaginatedDocs, Payload, SelectType, Sort, Where } from 'payload'
import type { z } from 'zod'

import type { Actor } from './actor'

import { NotFoundError } from '../errors'
import { requireUser } from './actor'
import { afterKeyset, cursorAfter, decodeCursor, type KeysetSort, keysetSort } from './keyset'
import { idSchema, type Page, PAGE_SIZE, parseInput, toPage } from './schemas/common'

/** The Local API seen through the arguments services use, so one implementation serves every collection. */
type LocalApi = {
  find: (args: Record<string, unknown>) => Promise<PaginatedDocs<unknown>>
  findByID: (args: Record<string, unknown>) => Promise<unknown>
  create: (args: Record<string, unknown>) => Promise<unknown>
  update: (args: Record<string, unknown>) => Promise<unknown>
  delete: (args: Record<string, unknown>) => Promise<unknown>
  count: (args: Record<string, unknown>) => Promise<{ totalDocs: number }>
}
export const localApi = (payload: Payload) => payload as unknown as LocalApi

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

/**
 * The operations every collection service shares (create, findById, list, update, delete), each acting as the
 * caller. Domain services spread these and add their own; all take one object argument.
 */
export function createCollectionService<TDoc extends { id: string }, TCreate extends z.ZodType, TUpdate extends z.ZodType>({
  slug,
  resource,
  createSchema,
  updateSchema,
  listSelect,
  detailDepth = 0,
}: {
  slug: CollectionSlug
  /** Name used in errors: "Project not found". */
  resource: string
  createSchema: TCreate
  updateSchema: TUpdate
  /** The fields list views return (projection). */
  listSelect: SelectType
  /** Population depth of single-document reads. */
  detailDepth?: number
}) {
  const findById = async ({ actor, id, depth = detailDepth }: { actor: Actor; id: string; depth?: number }): Promise<TDoc> => {
    requireUser(actor)
    const docId = parseInput(idSchema, id)
    const doc = await localApi(actor.payload).findByID({ collection: slug, id: docId, depth, disableErrors: true, ...asCaller(actor) })
    if (!doc) throw new NotFoundError({ resource, id: docId })
    return doc as TDoc
  }

  const list = async ({ actor, where, sort, page = 1, limit = PAGE_SIZE.default, select = listSelect, depth = 0 }: ListArgs): Promise<Page<TDoc>> => {
    requireUser(actor)
    const result = await localApi(actor.payload).find({
      collection: slug,
      where,
      sort,
      page,
      limit: Math.min(Math.max(1, limit), PAGE_SIZE.max),
      select,
      depth,
      ...asCaller(actor),
    })
    return toPage(result as PaginatedDocs<TDoc>)
  }

  const create = async ({ actor, data }: { actor: Actor; data: z.input<TCreate> }): Promise<TDoc> => {
    requireUser(actor)
    const input = parseInput(createSchema, data)
    return (await localApi(actor.payload).create({ collection: slug, data: input, depth: 0, ...asCaller(actor) })) as TDoc
  }

  const update = async ({ actor, id, data }: { actor: Actor; id: string; data: z.input<TUpdate> }): Promise<TDoc> => {
    const input = parseInput(updateSchema, data)
    const existing = await findById({ actor, id, depth: 0 })
    return (await localApi(actor.payload).update({ collection: slug, id: existing.id, data: input, depth: 0, ...asCaller(actor) })) as TDoc
  }

  const remove = async ({ actor, id }: { actor: Actor; id: string }): Promise<boolean> => {
    const existing = await findById({ actor, id, depth: 0 })
    await localApi(actor.payload).delete({ collection: slug, id: existing.id, ...asCaller(actor) })
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
