import type { Browser, Page } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, openPage, signInToAdmin } from '../../helpers/browser'
import { requestJson } from '../../helpers/http'
import { createDoc, type Person, people, testRateLimits } from '../api/v1/session'

/**
 * Re-ordering an episode's scenes from the admin's episode view (issue 13), as a producer who owns the project and
 * is not an admin: ↑/↓ move a scene one place, the view lists the new order, and the numbers stay 1..n.
 */
let app: RunningApp
let browser: Browser
let owner: Person
let page: Page
let episodeId: string
const sceneIds: Record<string, string> = {}

beforeAll(async () => {
  app = await startApp('scene_order_admin', { RATE_LIMITS: testRateLimits })
  owner = await (await people(app)).person('owner')
  const project = await createDoc(app, owner, 'projects', { title: 'Reel' })
  episodeId = (await createDoc(app, owner, 'episodes', { project: project.id, title: 'Pilot' })).id
  for (const title of ['Dawn', 'Noon', 'Dusk']) sceneIds[title] = (await createDoc(app, owner, 'scenes', { episode: episodeId, title })).id
  browser = await launchBrowser()
  page = await openPage(browser)
  await signInToAdmin(page, app.url, owner.email, 'Passw0rd!secret')
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** The scene titles as the episode view lists them, first first. */
const listedTitles = () => page.locator('[data-hub="episode"] tr[data-scene-number] a').allTextContents()

/** The scene titles in scene-number order, and their numbers, as the API has them. */
async function storedOrder() {
  const { body } = await requestJson(`${app.url}/api/v1/episodes/${episodeId}/scenes`, { token: owner.token })
  return body.docs.map((scene: { title: string; sceneNumber: number }) => `${scene.sceneNumber} ${scene.title}`)
}

it('moves a scene up and down from the episode view, and the numbers follow', async () => {
  await page.goto(`${app.url}/admin/collections/episodes/${episodeId}`)
  await expect.poll(listedTitles).toEqual(['Dawn', 'Noon', 'Dusk'])
  const hub = page.locator('[data-hub="episode"]')
  await expect(hub.getByRole('button', { name: 'Move scene 1 up' }).isDisabled()).resolves.toBe(true)
  await expect(hub.getByRole('button', { name: 'Move scene 3 down' }).isDisabled()).resolves.toBe(true)

  await hub.getByRole('button', { name: 'Move scene 3 up' }).click()
  await expect.poll(listedTitles).toEqual(['Dawn', 'Dusk', 'Noon'])
  expect(await storedOrder()).toEqual(['1 Dawn', '2 Dusk', '3 Noon'])

  await hub.getByRole('button', { name: 'Move scene 1 down' }).click()
  await expect.poll(listedTitles).toEqual(['Dusk', 'Dawn', 'Noon'])
  expect(await storedOrder()).toEqual(['1 Dusk', '2 Dawn', '3 Noon'])
  await expect.poll(() => hub.locator('tr[data-scene-number] .hub__number').allTextContents()).toEqual(['1', '2', '3'])
  expect(await hub.locator('.hub__error').count()).toBe(0)
})
