import type { Payload } from 'payload'

import { getPayload } from 'payload'

import { monitoredDatabaseUrl } from './commandMonitor'
import { TEST_SECRET, uniqueDatabaseUrl } from './database'

/**
 * A Payload instance on a fresh database of its own. The config reads DATABASE_URL when it is first imported,
 * so it is imported only after the variable is set (vitest isolates modules per test file).
 */
export async function createTestPayload(
  label: string,
  { monitorCommands = false }: { monitorCommands?: boolean } = {},
): Promise<{ payload: Payload; cleanup: () => Promise<void> }> {
  const url = uniqueDatabaseUrl(label)
  // monitorCommands: the driver then emits command events (tests/helpers/commandMonitor.ts counts queries).
  process.env.DATABASE_URL = monitorCommands ? monitoredDatabaseUrl(url) : url
  process.env.PAYLOAD_SECRET = TEST_SECRET
  const { default: config } = await import('@payload-config')
  const payload = await getPayload({ config })
  return {
    payload,
    cleanup: async () => {
      await payload.db.connection.dropDatabase()
      await payload.destroy()
    },
  }
}
