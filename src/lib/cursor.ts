import { createHmac, timingSafeEqual } from 'node:crypto'

import { ValidationError } from '../errors'
import { env } from './env'

/** Where a keyset page stopped: the last row's sort values and its id (the tie-breaker). */
export type Keyset = { values: (string | number | null)[]; id: string }

const sign = (body: string) => createHmac('sha256', env.payloadSecret).update(body).digest('base64url')

/**
 * An opaque cursor: the keyset and the list it belongs to (`scope`: collection and filters), base64url JSON signed
 * with an HMAC of the app secret, so a client can neither read a meaning into it nor move it (a changed value, or a
 * cursor of another list, fails the check).
 */
export function encodeCursor(scope: string, keyset: Keyset): string {
  const body = Buffer.from(JSON.stringify({ s: scope, v: keyset.values, i: keyset.id })).toString('base64url')
  return `${body}.${sign(body)}`
}

/** The keyset of a cursor this list issued; anything else is a 400 naming `cursor`. */
export function decodeCursor(scope: string, cursor: string): Keyset {
  const invalid = () => new ValidationError({ issues: [{ path: 'cursor', message: 'Invalid cursor: pass the nextCursor of the previous page of this list unchanged' }] })
  const [body, mac, ...rest] = cursor.split('.')
  if (!body || !mac || rest.length > 0) throw invalid()
  const expected = Buffer.from(sign(body))
  const given = Buffer.from(mac)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
  try {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown; i?: unknown }
    if (parsed.s !== scope || !Array.isArray(parsed.v) || typeof parsed.i !== 'string') throw invalid()
    return { values: parsed.v as Keyset['values'], id: parsed.i }
  } catch {
    throw invalid()
  }
}
