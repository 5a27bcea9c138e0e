import { createHash, randomBytes } from 'node:crypto'

/**
 * A secret for a link sent by mail (email-change confirmation, invitation): 32 random bytes, base64url. Only its
 * SHA-256 is stored, so a database read gives nobody a usable token; the stored hash is looked up by equality.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashSecretToken(token) }
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
