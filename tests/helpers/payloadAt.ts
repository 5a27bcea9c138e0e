import type { Payload } from 'payload'

import { getPayload } from 'payload'

import { TEST_SECRET } from './database'

/**
 * A Local API instance on an existing database (the one a started app uses), for seeding and checking what an
 * HTTP test did. Import before anything else imports @payload-config in the test file.
 */
export async function payloadAt(databaseUrl: string): Promise<Payload> {
  process.env.DATABASE_URL = databaseUrl
  process.env.PAYLOAD_SECRET = TEST_SECRET
  const { default: config } = await import('@payload-config')
  return getPayload({ config })
}
