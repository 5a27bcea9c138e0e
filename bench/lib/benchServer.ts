import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { backendFromEnv, startFerretDB } from '../../scripts/lib/ferretdb.mjs'

/**
 * The server a benchmark runs on: DATABASE_URL's when set, otherwise an embedded FerretDB in a temporary directory
 * (removed by `stop`). Benchmarks work in a database of their own on it and drop it afterwards.
 */
export async function benchServer(prefix: string): Promise<{ uri: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { uri: process.env.DATABASE_URL, stop: async () => {} }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`))
  const { backend, postgresUrl } = backendFromEnv()
  const server = await startFerretDB({ backend, dataDir, postgresUrl, port: 0, log: () => {} })
  return {
    uri: server.uri,
    stop: async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
