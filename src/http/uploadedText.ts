import { PayloadTooLargeError, ValidationError } from '../errors'
import { decodeUtf8 } from '../domain/screenplay/text'
import { MAX_UPLOADED_TEXT_BYTES } from '../model/apiLimits'
import { bodyObject } from './bodyObject'
import { readBytesWithin, readJsonBody } from './jsonBody'

/** An uploaded text and the form fields (or JSON keys) sent beside it. */
export type UploadedText = { fields: Record<string, unknown>; text?: string; filename?: string }

/**
 * Reads an upload of a text file, within MAX_UPLOADED_TEXT_BYTES (413, for the file as for the whole body): a multipart form whose `file` is the text
 * (the other form fields come as strings), a JSON object whose `text` key holds it, or the text itself as the body
 * (`text/csv`, `text/plain`, `application/xml`). File bytes must be UTF-8 (400 with the line otherwise).
 */
export async function readUploadedText(request: Request): Promise<UploadedText> {
  const contentType = request.headers.get('content-type') ?? ''
  if (contentType.includes('multipart/form-data')) {
    const bytes = await readBytesWithin(request, MAX_UPLOADED_TEXT_BYTES + 64 * 1024)
    let form: FormData
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData()
    } catch {
      throw new ValidationError({ issues: [{ path: 'file', message: 'The body is not a readable multipart form' }] })
    }
    const fields: Record<string, unknown> = {}
    let file: File | undefined
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') fields[key] = value
      else if (key === 'file') file = value
    }
    if (!file) throw new ValidationError({ issues: [{ path: 'file', message: 'Required: the file to import' }] })
    if (file.size > MAX_UPLOADED_TEXT_BYTES) throw new PayloadTooLargeError({ limitBytes: MAX_UPLOADED_TEXT_BYTES })
    return { fields, text: decodeUtf8(new Uint8Array(await file.arrayBuffer())), filename: file.name }
  }
  if (contentType.includes('application/json')) {
    const fields = bodyObject<Record<string, unknown>>((await readJsonBody(request, { requireObject: true })) ?? {})
    const { text, ...rest } = fields
    return { fields: rest, ...(text === undefined ? {} : { text: text as string }) }
  }
  const bytes = await readBytesWithin(request, MAX_UPLOADED_TEXT_BYTES)
  return { fields: {}, text: decodeUtf8(new Uint8Array(bytes), 'body') }
}
