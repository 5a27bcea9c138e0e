import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { devWorkerEnabled, withDevProvider } from '../../../scripts/lib/devServices.mjs'

/** `npm run dev`'s choices: the local provider when no key is set anywhere, and the worker beside the server. */
let withoutKeys: string
let withKeyFile: string
const saved = { ...process.env }

beforeAll(async () => {
  withoutKeys = await mkdtemp(path.join(os.tmpdir(), 'dev-env-'))
  withKeyFile = await mkdtemp(path.join(os.tmpdir(), 'dev-env-'))
  await writeFile(path.join(withKeyFile, '.env'), 'OPENROUTER_API_KEY=from-dot-env\n')
})
afterAll(async () => {
  await rm(withoutKeys, { recursive: true, force: true })
  await rm(withKeyFile, { recursive: true, force: true })
})
afterEach(() => {
  // Next.js's env loader writes the files' values into process.env; put it back.
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
})

describe('npm run dev', () => {
  it('uses the local provider (and says so) when no provider key is set', () => {
    const { env, notice } = withDevProvider({ PATH: '/bin' }, withoutKeys)
    expect(env).toEqual({ PATH: '/bin', AI_PROVIDER: 'local' })
    expect(notice).toContain('AI_PROVIDER=local')
  })

  it('keeps the real providers when a key is in the environment or a .env file, or AI_PROVIDER is chosen', () => {
    expect(withDevProvider({ FAL_KEY: 'k' }, withoutKeys)).toEqual({ env: { FAL_KEY: 'k' }, notice: null })
    expect(withDevProvider({}, withKeyFile)).toEqual({ env: {}, notice: null })
    expect(withDevProvider({ AI_PROVIDER: 'remote' }, withoutKeys).env).toEqual({ AI_PROVIDER: 'remote' })
  })

  it('runs the worker unless DEV_WORKER=0', () => {
    expect(devWorkerEnabled({})).toBe(true)
    expect(devWorkerEnabled({ DEV_WORKER: '1' })).toBe(true)
    expect(devWorkerEnabled({ DEV_WORKER: '0' })).toBe(false)
    expect(devWorkerEnabled({ DEV_WORKER: 'off' })).toBe(false)
  })
})
