import type { Payload } from 'payload'

import { getPayload } from 'payload'

import { monitoredDatabaseUrl } from './commandMonitor'
import { TEST_SECRET, uniqueDatabaseUrl } from './database'
import { logQueryShapes } from './queryShapeLog'

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
  // QUERY_SHAPES_LOG: every test's queries are logged for the query-shape check (tests/helpers/queryShapeLog.ts).
  process.env.DATABASE_URL = monitorCommands || process.env.QUERY_SHAPES_LOG ? monitoredDatabaseUrl(url) : url
  process.env.PAYLOAD_SECRET = TEST_SECRET
  const { default: config } = await import('@payload-config')
  const payload = await getPayload({ config })
  logQueryShapes(payload)
  return {
    payload,
    cleanup: async () => {
      await payload.db.connection.dropDatabase()
      await payload.destroy()
    },
  }
}
