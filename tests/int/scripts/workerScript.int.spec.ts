import mongoose from 'mongoose'
import { afterAll, expect, it } from 'vitest'

import { TEST_SECRET, uniqueDatabaseUrl } from '../../helpers/database'
import { runScript } from '../../helpers/runScript'

/** `npm run worker` as ops run it: it names its providers, never falls back to the local one, and says what it cannot claim. */
const databaseUrl = uniqueDatabaseUrl('worker-script')
const noKeys = { FAL_KEY: '', OPENROUTER_API_KEY: '', ELEVENLABS_API_KEY: '', JINA_API_KEY: '' }
afterAll(async () => {
  const connection = await mongoose.createConnection(databaseUrl).asPromise()
  await connection.dropDatabase()
  await connection.close()
})

it('without ffmpeg: starts, says it does not claim scene_assembly, and runs on; without AI_PROVIDER it stays on the real providers', { timeout: 240_000 }, async () => {
  const base = { DATABASE_URL: databaseUrl, PAYLOAD_SECRET: TEST_SECRET, ...noKeys }
  const local = await runScript('worker', ['--once'], { ...base, AI_PROVIDER: 'local', FFMPEG_PATH: '/nonexistent/ffmpeg' })
  expect(local.code, local.stderr).toBe(0)
  expect(local.stdout).toContain('providers=local (AI_PROVIDER=local)')
  expect(local.stdout).toMatch(/media-tools-missing not claiming [^\n]*scene_assembly[^\n]*FFMPEG_PATH/)

  const real = await runScript('worker', ['--once'], { ...base, AI_PROVIDER: '' })
  expect(real.code, real.stderr).toBe(0)
  expect(real.stdout).toContain('providers=fal, openrouter, elevenlabs, jina')
  expect(real.stdout).not.toContain('media-tools-missing')
})
