import type { PayloadRequest, UploadConfig } from 'payload'

import { FieldValidationError } from '../../../errors'

import { env } from '../../../lib/env'
import { slugs } from '../../../model/slugs'

export const FILE_FROM_URL_REFUSED = 'Upload the file itself (multipart/form-data, field `file`); media are not fetched from a URL.'

/**
 * A create with no file but `{ filename, url }` has Payload fetch that URL on the server. Media files are only
 * uploaded, never fetched: over REST (and the admin) the body is refused here, 400 on `file`, before anything runs.
 */
export function refuseFileFromUrl(req: PayloadRequest) {
  const body = req.data as Record<string, unknown> | undefined
  if (body && typeof body === 'object' && body.url !== undefined && body.url !== null) {
    throw new FieldValidationError({ collection: slugs.media, errors: [{ path: 'file', message: FILE_FROM_URL_REFUSED }] })
  }
}

/**
 * The one place Payload fetches a file, called before each request it makes (GraphQL and the Local API reach it
 * without REST's body): only the app's own file URLs (a focal-point re-crop of a file in the bucket reads it back
 * through /api/media/file, which applies the caller's access), with the caller's cookies; anything else stops here
 * and answers 400 (src/errors/toErrorResponse.ts maps Payload's FileRetrievalError).
 */
export const ownFileUrlsOnly: NonNullable<UploadConfig['externalFileHeaderFilter']> = (headers, context) => {
  const url = URL.canParse(context?.url ?? '') ? new URL(context!.url) : undefined
  const ownOrigin = URL.canParse(env.serverUrl) ? new URL(env.serverUrl).origin : undefined
  if (!url || !ownOrigin || url.origin !== ownOrigin || !url.pathname.startsWith(`/api/${slugs.media}/file/`)) {
    throw new Error(FILE_FROM_URL_REFUSED)
  }
  return { cookie: headers.cookie ?? '' }
}
