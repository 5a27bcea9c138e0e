import type { TestProject } from 'vitest/node'

import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { backendFromEnv, startFerretDB } from '../../scripts/lib/ferretdb.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** mongodb:// URI of the server the tests use; each test file adds its own database name. */
    databaseServerUri: string
  }
}

/**
 * Starts the database the tests use: the server named by DATABASE_URL when set (e.g. real MongoDB), otherwise an
 * embedded FerretDB on a free loopback port with its data in a temporary folder.
 */
export default async function setup(project: TestProject) {
  // Test workers inherit it: the app build is checked once per run (tests/setup/appBuild.ts).
  process.env.TEST_RUN_ID = `${Date.now()}-${process.pid}`
  let stop = async () => {}
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL)
    url.pathname = '/'
    project.provide('databaseServerUri', url.toString())
  } else {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'movie-platform-test-db-'))
    const { backend, postgresUrl } = backendFromEnv()
    const db = await startFerretDB({ backend, dataDir, postgresUrl, port: 0 })
    console.log(`[tests] FerretDB (${backend}) at ${db.uri}`)
    project.provide('databaseServerUri', db.uri)
    stop = async () => {
      await db.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  return stop
}
