import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { inject } from 'vitest'

/** A database name of its own for one test file, so files never see each other's data. */
export function uniqueDatabaseUrl(label: string): string {
  const url = new URL(inject('databaseServerUri'))
  const safe = path.basename(label).replace(/\W+/g, '_').slice(0, 30)
  url.pathname = `/t_${safe}_${randomBytes(4).toString('hex')}`
  return url.toString()
}

/** Made per test process: a secret written in the repository is refused by the production start check. */
export const TEST_SECRET = randomBytes(32).toString('hex')
