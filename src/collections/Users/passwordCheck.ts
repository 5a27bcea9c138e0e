import crypto from 'node:crypto'

// Payload's password hash formats (payload/dist/auth/strategies/local/generatePasswordSaltHash.js, not exported):
// current hashes carry this prefix and use 600,000 PBKDF2-SHA256 iterations and 32-byte keys; legacy ones 25,000
// iterations and 512-byte keys.
const CURRENT_PREFIX = 'pbkdf2-sha256-v1:'
const parameters = (hash: string) =>
  hash.startsWith(CURRENT_PREFIX)
    ? { stored: hash.slice(CURRENT_PREFIX.length), iterations: 600_000, keyLength: 32 }
    : { stored: hash, iterations: 25_000, keyLength: 512 }

const pbkdf2 = (password: string, salt: string, iterations: number, keyLength: number) =>
  new Promise<Buffer>((resolve, reject) =>
    crypto.pbkdf2(password, salt, iterations, keyLength, 'sha256', (err, key) => (err ? reject(err) : resolve(key))),
  )

/** Whether `password` matches a stored Payload hash and salt (constant-time comparison). */
export async function passwordMatches({ password, hash, salt }: { password: string; hash: unknown; salt: unknown }): Promise<boolean> {
  if (typeof hash !== 'string' || typeof salt !== 'string') return false
  const { stored, iterations, keyLength } = parameters(hash)
  const computed = await pbkdf2(password, salt, iterations, keyLength)
  const expected = Buffer.from(stored, 'hex')
  return computed.length === expected.length && crypto.timingSafeEqual(computed, expected)
}

/**
 * The work of checking a password against a current hash, spent for nothing: a login for an address without an
 * account then takes as long as one with a wrong password, so timing does not tell which addresses have accounts.
 */
export async function spendPasswordCheck(password: unknown): Promise<void> {
  const { iterations, keyLength } = parameters(CURRENT_PREFIX)
  await pbkdf2(typeof password === 'string' ? password : '', 'no-account', iterations, keyLength)
}
