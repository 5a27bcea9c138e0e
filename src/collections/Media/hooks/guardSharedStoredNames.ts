import type { CollectionBeforeDeleteHook, PayloadRequest, Where } from 'payload'

import { ConflictError } from '../../../errors'
import { isServerChosenName } from '../../../domain/storedMediaNames'
import type { Media } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

type StoredNames = Pick<Media, 'id' | 'filename'> & { sizes?: Record<string, { filename?: string | null } | undefined> | null }

const storedNamesOf = (doc: StoredNames) =>
  [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)].filter((name): name is string => Boolean(name))

/**
 * Deleting a medium, or replacing its file, removes every object it names. Names chosen by the server
 * (src/domain/storedMediaNames.ts) are its own; a medium stored before that may name an object another medium also
 * names (its thumbnail `frame-400x300.png` is someone's original). Such a medium is refused (409) rather than
 * removing the other's file; an admin resolves it. Only media with a name of the old kind pay for the lookup.
 */
export async function refuseSharedStoredNames(req: PayloadRequest, doc: StoredNames) {
  const names = storedNamesOf(doc)
  if (names.every(isServerChosenName)) return
  const sizeNames = (req.payload.collections[slugs.media].config.upload?.imageSizes ?? []).map((size) => size.name)
  const where: Where = {
    and: [
      { id: { not_equals: doc.id } },
      { or: [{ filename: { in: names } }, ...sizeNames.map((size) => ({ [`sizes.${size}.filename`]: { in: names } }))] },
    ],
  }
  // overrideAccess: the other medium is usually another tenant's; only whether one exists is used, never its content.
  const shared = await req.payload.find({ collection: slugs.media, where, limit: 1, depth: 0, pagination: false, overrideAccess: true, req, select: {} })
  if (shared.docs.length > 0) {
    throw new ConflictError({
      message: 'This medium was stored under a file name another medium also uses; an admin must resolve it before its file is deleted or replaced.',
      details: { id: doc.id },
    })
  }
}

export const guardSharedNamesOnDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  // The delete operation has already applied the caller's access to this id.
  const doc = await req.payload.db.findOne<StoredNames>({ collection: slugs.media, where: { id: { equals: id } }, req })
  if (doc) await refuseSharedStoredNames(req, doc)
}
