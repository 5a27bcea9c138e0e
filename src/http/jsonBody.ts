import { PayloadTooLargeError, ValidationError } from '../errors'

/** Largest JSON body any API route accepts unless JSON_BODY_LIMIT_BYTES says otherwise (1 MB). */
export const DEFAULT_JSON_BODY_LIMIT_BYTES = 1_000_000
/** Deepest nesting of objects and arrays a JSON body may have. */
export const MAX_JSON_BODY_DEPTH = 64

export function jsonBodyLimitBytes(env: Record<string, string | undefined> = process.env): number {
  const configured = Number(env.JSON_BODY_LIMIT_BYTES)
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_JSON_BODY_LIMIT_BYTES
}

/**
 * Nesting depth of a JSON text, counted without recursion (a body 100,000 levels deep must not overflow the stack
 * of whatever walks it later: Payload's field traversal, the BSON serializer).
 */
export function jsonTextDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (inString) {
      if (char === 92 /* \ */) index++
      else if (char === 34 /* " */) inString = false
    } else if (char === 34) inString = true
    else if (char === 123 /* { */ || char === 91 /* [ */) deepest = Math.max(deepest, ++depth)
    else if (char === 125 /* } */ || char === 93 /* ] */) depth--
  }
  return deepest
}

/** The body as text, reading at most `limitBytes` (a declared or streamed larger body is refused with 413). */
export async function readTextWithin(request: Request, limitBytes: number): Promise<string> {
  return (await readBytesWithin(request, limitBytes)).toString('utf8')
}

/** The body's bytes, reading at most `limitBytes` (a declared or streamed larger body is refused with 413). */
export async function readBytesWithin(request: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limitBytes) throw new PayloadTooLargeError({ limitBytes })
  if (!request.body) return Buffer.alloc(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    received += value.byteLength
    if (received > limitBytes) {
      await reader.cancel().catch(() => {})
      throw new PayloadTooLargeError({ limitBytes })
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

/**
 * Reads and parses a JSON request body within the size limit (413) and depth limit (400); malformed JSON is a 400.
 * Undefined when there is no body. With `requireObject`, anything but a JSON object (null, a string, a number, an
 * array) is a 400 too.
 */
export async function readJsonBody(
  request: Request,
  { requireObject = false, env = process.env }: { requireObject?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<unknown> {
  const text = await readTextWithin(request, jsonBodyLimitBytes(env))
  if (text.trim() === '') return undefined
  if (jsonTextDepth(text) > MAX_JSON_BODY_DEPTH) {
    throw new ValidationError({
      issues: [{ path: '', message: `Nested deeper than ${MAX_JSON_BODY_DEPTH} levels` }],
      message: `The body is nested deeper than ${MAX_JSON_BODY_DEPTH} levels`,
    })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ValidationError({ issues: [{ path: '', message: 'The body must be valid JSON' }], message: 'Malformed JSON body' })
  }
  if (requireObject && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new ValidationError({ issues: [{ path: '', message: 'The body must be a JSON object' }], message: 'The body must be a JSON object' })
  }
  return parsed
}
