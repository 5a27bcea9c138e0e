import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, signInToAdmin } from '../../helpers/browser'
import { TEST_SECRET } from '../../helpers/database'
import { requestJson } from '../../helpers/http'
import { createDoc, type Person, people, testRateLimits } from '../api/v1/session'

/**
 * From script to screen in Chromium (issue 22, "Admin"): a producer who is not an admin produces an episode of two
 * short scenes from the episode view with the built app and a real `npm run worker` process on AI_PROVIDER=local;
 * the scenes' progress moves live from the events stream (the page is never reloaded), each scene is approved in its
 * scene view (panels, a video and an audio player), Assemble first names the scene not yet approved, then cuts the
 * episode, and the final video plays in the page. Screenshots: tests/e2e/admin/.last-production-*.png.
 */
const root = path.resolve(import.meta.dirname, '../../..')
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
// The worker publishes task events from its own process: Redis carries them to the app's events stream.
const env = { AI_PROVIDER: 'local', LOCAL_SPEECH: 'tones', REDIS_URL: redisUrl }
const PASSWORD = 'Passw0rd!secret'
const screenshot = (name: string) => page.screenshot({ path: path.join(import.meta.dirname, `.last-production-${name}.png`), fullPage: true })

let app: RunningApp
let browser: Browser
let page: Page
let producer: Person
let episode: { id: string }
let scenes: { id: string }[]
let worker: ChildProcess | undefined
const workerOutput: string[] = []

/** A real worker process, as `npm run worker` runs it, on the app's database (its own process group, killed whole). */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'scripts/run-ts.mjs'), 'scripts/worker.ts', '--concurrency', '2'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: app.databaseUrl, PAYLOAD_SECRET: TEST_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout?.on('data', (chunk) => workerOutput.push(String(chunk)))
  child.stderr?.on('data', (chunk) => workerOutput.push(String(chunk)))
  return child
}

const productionRow = (sceneNumber: number) => page.locator(`[data-hub="episode-production"] [data-production-scene="${sceneNumber}"]`)
const workerLog = () => `\nWorker output:\n${workerOutput.join('').slice(-4000)}`

/** Waits for a scene row's status; on a timeout the error carries the worker's output. */
async function rowReaches(sceneNumber: number, status: string, timeout: number) {
  try {
    await productionRow(sceneNumber).and(page.locator(`[data-status="${status}"]`)).waitFor({ timeout })
  } catch (err) {
    await screenshot('timeout')
    throw new Error(`scene ${sceneNumber} did not reach ${status}: ${(err as Error).message}${workerLog()}`)
  }
}

beforeAll(async () => {
  app = await startApp('admin_production', { RATE_LIMITS: testRateLimits, ...env })
  const accounts = await people(app)
  producer = await accounts.person('producer')
  const promoted = await requestJson(`${app.url}/api/users/${producer.id}`, { method: 'PATCH', token: accounts.admin.token, body: { role: 'producer' } })
  expect(promoted.status).toBe(200)
  const project = await createDoc(app, producer, 'projects', { title: 'Harbour', genre: 'drama' })
  episode = await createDoc(app, producer, 'episodes', { project: project.id, episodeNumber: 1, title: 'Low tide' })
  const ada = await createDoc(app, producer, 'characters', { project: project.id, name: 'Ada', voiceProfile: { voiceId: 'ada' } })
  const ben = await createDoc(app, producer, 'characters', { project: project.id, name: 'Ben', voiceProfile: { voiceId: 'ben' } })
  scenes = [
    await createDoc(app, producer, 'scenes', {
      episode: episode.id,
      title: 'The pier',
      script: { action: 'Ada walks the pier.', duration: 2, dialogue: [{ character: ada.id, lines: 'Low tide.', timing: 1 }] },
      characters: [ada.id],
    }),
    await createDoc(app, producer, 'scenes', {
      episode: episode.id,
      title: 'The boat',
      script: { action: 'Ben waves from the boat.', duration: 3, dialogue: [{ character: ben.id, lines: 'Come aboard.', timing: 1.5 }] },
      characters: [ben.id],
    }),
  ]
  browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  page = await context.newPage()
  page.setDefaultTimeout(60_000)
  await signInToAdmin(page, app.url, producer.email, PASSWORD)
}, 900_000)
afterAll(async () => {
  if (worker?.pid && worker.exitCode === null && worker.signalCode === null) {
    try {
      process.kill(-worker.pid, 'SIGKILL')
    } catch (err) {
      if ((err as { code?: string }).code !== 'ESRCH') throw err // already gone
    }
  }
  await browser?.close()
  await app?.stop()
})

it('a producer produces the episode and watches both scenes reach review live, without a reload', { timeout: 600_000 }, async () => {
  await page.goto(`${app.url}/admin/collections/episodes/${episode.id}`)
  await productionRow(2).waitFor()
  expect(await productionRow(1).getAttribute('data-status')).toBe('pending')
  let reloads = 0
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) reloads++
  })
  await page.locator('[data-hub="episode-production"] [data-action="produce"]').click()
  await page.locator('[data-hub="episode-production"] [data-notice="done"]').waitFor()
  await rowReaches(1, 'generating', 30_000)
  await rowReaches(2, 'generating', 30_000)
  await screenshot('generating')
  // Only now does a worker start: whatever the rows show from here on reached the page through the events stream.
  worker = startWorker()
  await rowReaches(1, 'reviewing', 480_000)
  await rowReaches(2, 'reviewing', 480_000)
  for (const sceneNumber of [1, 2]) expect(await productionRow(sceneNumber).locator('[data-progress]').getAttribute('data-progress')).toBe('100')
  expect(reloads).toBe(0)
  await screenshot('reviewing')
})

it('approves the scenes in their views; Assemble names the scene not yet approved, then the final video plays', { timeout: 600_000 }, async () => {
  const approve = async (sceneId: string, shot?: string) => {
    await page.goto(`${app.url}/admin/collections/scenes/${sceneId}`)
    const block = page.locator('[data-hub="scene-production"][data-status="reviewing"]')
    await block.waitFor()
    // The takes: panel images that loaded, the scene cut in a video player, the dialogue track in an audio player.
    await block.locator('[data-takes="panels"] img').first().waitFor()
    await expect.poll(() => block.locator('[data-takes="panels"] img').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await block.locator('video[data-take="video"]').waitFor()
    await block.locator('audio[data-take="audio"]').waitFor()
    if (shot) await screenshot(shot)
    await block.locator('[data-review="approve"]').click()
    await page.locator('[data-hub="scene-production"][data-status="approved"]').waitFor()
    const scene = await requestJson(`${app.url}/api/scenes/${sceneId}?depth=0`, { token: producer.token })
    expect(scene.body.production.status).toBe('approved')
  }
  await approve(scenes[0].id, 'scene')

  await page.goto(`${app.url}/admin/collections/episodes/${episode.id}`)
  const production = page.locator('[data-hub="episode-production"]')
  await production.locator('[data-action="assemble"]').click()
  const refused = production.locator('[data-notice="error"]')
  await refused.waitFor()
  expect(await refused.locator('[data-unapproved-scenes] li').allTextContents()).toEqual(['Scene 2 (Reviewing)'])
  await screenshot('assemble-refused')

  // Scene 2's audio is generated again from its view (a reject with regenerate: a second attempt); the page follows
  // the new round through the events stream, and the first track stays listed as a previous take.
  await page.goto(`${app.url}/admin/collections/scenes/${scenes[1].id}`)
  const block = page.locator('[data-hub="scene-production"]')
  await block.and(page.locator('[data-status="reviewing"]')).waitFor()
  const firstTrack = (await requestJson(`${app.url}/api/scenes/${scenes[1].id}?depth=0`, { token: producer.token })).body.production.audioTrack
  await block.locator('[data-generate="audio"]').click()
  await block.locator('[data-notice="done"]').waitFor()
  await block.and(page.locator('[data-status="generating"]')).waitFor()
  try {
    await block.and(page.locator('[data-status="reviewing"]')).waitFor({ timeout: 240_000 })
  } catch (err) {
    await screenshot('timeout')
    throw new Error(`the regenerated scene did not reach review: ${(err as Error).message}${workerLog()}`)
  }
  const regenerated = (await requestJson(`${app.url}/api/scenes/${scenes[1].id}?depth=0`, { token: producer.token })).body.production
  expect(regenerated.attempts).toBe(2)
  expect(regenerated.audioTrack).not.toBe(firstTrack)
  await block.locator(`[data-takes="previous"] [data-media="${firstTrack}"]`).waitFor()
  await screenshot('regenerated')

  await approve(scenes[1].id)
  await page.goto(`${app.url}/admin/collections/episodes/${episode.id}`)
  await production.locator('[data-action="assemble"]').click()
  await production.locator('[data-notice="done"]').waitFor()
  const video = production.locator('video[data-final-video]')
  try {
    await video.waitFor({ timeout: 300_000 })
  } catch (err) {
    await screenshot('timeout')
    throw new Error(`no final video: ${(err as Error).message}${workerLog()}`)
  }
  const duration = await video.evaluate(
    (element: HTMLVideoElement) =>
      new Promise<number>((resolve, reject) => {
        if (element.readyState >= 1) return resolve(element.duration)
        element.addEventListener('loadedmetadata', () => resolve(element.duration))
        element.addEventListener('error', () => reject(new Error(`the video did not load: ${element.error?.message ?? element.error?.code}`)))
      }),
  )
  // Two scenes of 2 s and 3 s.
  expect(duration).toBeGreaterThan(0)
  expect(Math.abs(duration - 5)).toBeLessThanOrEqual(0.5)
  // And it plays: muted (autoplay rules), its clock moves.
  await video.evaluate((element: HTMLVideoElement) => {
    element.muted = true
    return element.play()
  })
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 20_000 }).toBeGreaterThan(0)
  await screenshot('final')
  const final = await requestJson(`${app.url}/api/episodes/${episode.id}?depth=0`, { token: producer.token })
  expect(final.body.metadata.finalVideo).toBeTruthy()
})
