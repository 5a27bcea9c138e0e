import type { CollectionBeforeOperationHook, PayloadRequest } from 'payload'

import { readFile } from 'node:fs/promises'
import sharp from 'sharp'
import { FieldValidationError } from '../../../errors'

import { assessImageDecoding } from '../../../domain/mediaRules'
import { relationId } from '../../../model/references'
import { storedFileName } from '../../../domain/storedMediaNames'
import { clientIp } from '../../../lib/rateLimit/clientIp'
import { enforceRateLimit } from '../../../lib/rateLimit/consume'
import { slugs } from '../../../model/slugs'
import { refuseSharedStoredNames } from './guardSharedStoredNames'
import { refuseFileFromUrl } from './refuseFileFromUrl'

const fileError = (message: string) => new FieldValidationError({ collection: slugs.media, errors: [{ path: 'file', message }] })

type UploadedFile = NonNullable<PayloadRequest['file']> & { tempFilePath?: string }

/**
 * The image's header (no pixel decoded) against the decoding bounds (src/domain/mediaRules.ts), then the uploader's
 * megapixel budget (rate-limit policy `imageProcessing`, HTTP requests only: the worker's Local API uploads are
 * bounded per upload and by the task engine's limits). Files sharp cannot read are not images to it: Payload's own
 * checks answer for them.
 */
async function boundImageDecoding(req: PayloadRequest, file: UploadedFile) {
  const input = file.tempFilePath ? await readFile(file.tempFilePath) : file.data
  if (!input || input.length === 0) return
  let header: sharp.Metadata
  try {
    // The header only: no pixel is decoded, so no pixel limit applies to reading it.
    header = await sharp(input, { limitInputPixels: false }).metadata()
  } catch {
    return
  }
  const { pixels, refusal } = assessImageDecoding(header)
  if (refusal) throw fileError(refusal)
  if (req.payloadAPI === 'local') return
  await enforceRateLimit({
    policy: 'imageProcessing',
    req,
    ip: req.headers ? clientIp(req.headers) : undefined,
    user: relationId(req.user?.id),
    points: Math.max(1, Math.ceil(pixels / 1_000_000)),
    message: 'Too many image megapixels uploaded in the last minute; retry later.',
  })
}

/**
 * Every way a file reaches Media (REST and the admin's create and replace, the worker's Local API uploads): the
 * file is refused before sharp decodes anything it should not, and is stored under a name of its own
 * (src/domain/storedMediaNames.ts), so its derived sizes can never be another document's objects either.
 * Runs after checkUploadSize (the byte limit).
 */
export const prepareUploadedFile: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (operation !== 'create' && operation !== 'update') return args
  const file = req.file as UploadedFile | undefined
  if (!file) {
    if (operation === 'create') refuseFileFromUrl(req)
    return args
  }
  // A nested operation on the same request sees the file already named.
  if (req.context.storedFileName === file.name) return args
  if (operation === 'update') {
    // updateByID passes the id; a bulk update (`where`) has none.
    const id = (args as { id?: string | number }).id
    // One file per document: a bulk update would give every matched medium the same stored objects.
    if (id === undefined || id === null) throw fileError('A file replaces the file of one medium at a time (PATCH /api/media/<id>).')
    const current = await req.payload.find({
      collection: slugs.media,
      where: { id: { equals: id } },
      limit: 1,
      depth: 0,
      pagination: false,
      overrideAccess: Boolean(args.overrideAccess),
      user: req.user,
      req,
    })
    // Not visible to the caller: the operation answers 404 on its own.
    if (current.docs[0]) await refuseSharedStoredNames(req, current.docs[0])
  }
  await boundImageDecoding(req, file)
  // A copy: the caller's file object (the Local API's `file`) stays as given.
  req.file = { ...file, name: storedFileName(file.name) }
  req.context.storedFileName = req.file.name
  return args
}
