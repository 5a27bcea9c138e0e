import type { Browser, Page } from 'playwright-core'

import { readFileSync } from 'node:fs'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, openPage, signInToAdmin } from '../../helpers/browser'
import { requestJson } from '../../helpers/http'
import { screenplayFixture } from '../../helpers/screenplays'
import { createDoc, type Person, people, testRateLimits } from '../api/v1/session'

/**
 * The episode view's screenplay block (issue 24) as a producer who owns the project and is not an admin: pick a
 * Fountain file, see the dry-run preview (nothing written yet), Import, then export the script and the shot list.
 */
let app: RunningApp
let browser: Browser
let producer: Person
let page: Page
let episodeId: string

beforeAll(async () => {
  app = await startApp('screenplay_admin', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  producer = await users.person('producer')
  const promoted = await requestJson(`${app.url}/api/users/${producer.id}`, { method: 'PATCH', token: users.admin.token, body: { role: 'producer' } })
  expect(promoted.status).toBe(200)
  const project = await createDoc(app, producer, 'projects', { title: 'The Last Ferry' })
  episodeId = (await createDoc(app, producer, 'episodes', { project: project.id, title: 'Crossing' })).id
  browser = await launchBrowser()
  page = await openPage(browser)
  await signInToAdmin(page, app.url, producer.email, 'Passw0rd!secret')
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const storedScenes = async () =>
  (await requestJson(`${app.url}/api/v1/episodes/${episodeId}/scenes`, { token: producer.token })).body.docs.map(
    (scene: { sceneNumber: number; title: string }) => `${scene.sceneNumber} ${scene.title}`,
  )

it('imports a screenplay with a preview, then exports the script and the shot list', async () => {
  await page.goto(`${app.url}/admin/collections/episodes/${episodeId}`)
  const block = page.locator('[data-hub="episode-screenplay"]')
  await block.locator('[data-input="screenplay-file"]').setInputFiles({
    name: 'the-last-ferry.fountain',
    mimeType: 'text/plain',
    buffer: Buffer.from(screenplayFixture('the-last-ferry.fountain')),
  })
  // The preview: five scenes, the new characters; nothing written yet.
  const preview = block.locator('[data-import-preview]')
  await expect.poll(() => preview.locator('tr[data-preview-scene]').count(), { timeout: 60_000 }).toBe(5)
  expect(await preview.textContent()).toContain('new characters: Rosa, Teo, Marguerite, Eli')
  expect(await storedScenes()).toEqual([])

  // Writing five scenes and four characters takes a few seconds on a busy machine; then the view loads again, so
  // the form holds what the import stored (a Save cannot write the old, empty script back).
  await block.locator('[data-action="import"]').click()
  await expect.poll(() => page.locator('[data-hub="episode"] tr[data-scene-number]').count(), { timeout: 60_000 }).toBe(5)
  await expect.poll(() => page.locator('textarea#field-script__content').inputValue(), { timeout: 30_000 }).toContain('INT. FERRY WHEELHOUSE - DAY')
  await page.screenshot({ path: 'tests/e2e/admin/.last-screenplay.png', fullPage: true })
  expect(await storedScenes()).toEqual([
    '1 EXT. HARBOUR PIER - DAWN',
    '2 INT. FERRY WHEELHOUSE - DAY',
    '3 EXT. FERRY DECK - DUSK',
    '4 INT. CABIN BELOW DECK - NIGHT',
    '5 EXT. OPEN WATER - NIGHT - CONTINUOUS',
  ])

  // Export: the browser downloads the script with the signed-in session.
  const [script] = await Promise.all([page.waitForEvent('download'), block.locator('[data-action="export-fountain"]').click()])
  expect(script.suggestedFilename()).toBe('episode-1-crossing.fountain')
  const text = readFileSync(await script.path(), 'utf8')
  expect(text).toContain('INT. FERRY WHEELHOUSE - DAY')
  expect(text).toContain('MARGUERITE\n(softly)\nYou always turned back, Rosa. Every single time.')

  const [shotList] = await Promise.all([page.waitForEvent('download'), block.locator('[data-action="download-shot-list"]').click()])
  expect(shotList.suggestedFilename()).toBe('episode-1-crossing-shot-list.csv')
  expect(await block.locator('.hub__error').count()).toBe(0)
})
