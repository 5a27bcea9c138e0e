import type { Browser, Page } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, openPage, signInToAdmin } from '../../helpers/browser'
import { people, testRateLimits } from '../api/v1/session'

/**
 * The admin works with no network but the app's own (issue 13): every request to another host is refused, and a
 * JSON field's editor (Monaco, which Payload loads from a CDN by default) still opens, served by the app.
 */
let app: RunningApp
let browser: Browser
let page: Page
const refused: string[] = []
const servedMonaco: string[] = []

beforeAll(async () => {
  app = await startApp('offline_editor', { RATE_LIMITS: testRateLimits })
  const { admin } = await people(app)
  browser = await launchBrowser()
  page = await openPage(browser)
  const appHost = new URL(app.url).host
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url())
    if (url.host === appHost && url.pathname.startsWith('/monaco-editor/')) servedMonaco.push(url.pathname)
    if (url.host === appHost || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue()
    refused.push(url.href)
    return route.abort('internetdisconnected')
  })
  await signInToAdmin(page, app.url, admin.email, 'Passw0rd!secret')
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

it("opens a JSON field's editor with every other host unreachable", async () => {
  await page.goto(`${app.url}/admin/collections/tasks/create`)
  const editor = page.locator('.field-type.json-field').first().locator('.monaco-editor')
  await editor.waitFor()
  await editor.locator('.view-lines').waitFor()
  await editor.click()
  await page.keyboard.type('{"seed": 7')
  // Monaco draws spaces as no-break spaces.
  await expect.poll(async () => (await editor.locator('.view-lines').textContent())?.replaceAll('\u00a0', ' ')).toContain('"seed": 7')
  // The editor came from the app, and the admin asked no other host for anything.
  expect(servedMonaco).toEqual(expect.arrayContaining(['/monaco-editor/vs/loader.js', '/monaco-editor/vs/editor/editor.main.js']))
  expect(refused).toEqual([])
})
