import type { Browser, Page } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, saveUntilSent } from '../../helpers/browser'

/** The admin panel in a real browser: a producer registers, finds every collection and opens a project form. */
let app: RunningApp
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startApp('admin_ui')
  browser = await launchBrowser()
  page = await browser.newPage()
  page.setDefaultTimeout(60_000)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

it('lets the first user register from the admin', async () => {
  await page.goto(`${app.url}/admin`)
  await page.waitForURL(/\/admin\/create-first-user/)
  // The form must be hydrated before it is filled (a value typed earlier is reset, a click earlier sends nothing):
  // wait for the page to settle, then submit until the registration request leaves (as saveUntilSent does).
  await page.waitForLoadState('networkidle')
  await page.fill('#field-email', 'producer@example.test')
  await page.fill('#field-password', 'Producer-passw0rd!')
  await page.fill('#field-confirm-password', 'Producer-passw0rd!')
  const status = await saveUntilSent(page, (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/users/first-register', page.locator('button[type="submit"]'))
  expect(status).toBe(200)
  await page.waitForURL((url) => url.pathname === '/admin' || url.pathname === '/admin/')
})

it('shows all ten collections in the navigation, grouped', async () => {
  const nav = page.locator('nav')
  for (const label of ['Projects', 'Episodes', 'Scenes', 'Characters', 'Media', 'Tasks', 'Prompt Templates', 'Prompts Executed', 'Sessions', 'Users']) {
    await expect(nav.getByText(label, { exact: true }).first().isVisible(), label).resolves.toBe(true)
  }
  for (const group of ['Production', 'Assets', 'AI pipeline', 'Accounts']) {
    await expect(nav.getByText(group, { exact: true }).first().isVisible(), group).resolves.toBe(true)
  }
})

it('opens the project form with the aspect ratio select holding the spec value', async () => {
  await page.goto(`${app.url}/admin/collections/projects/create`)
  await page.waitForSelector('#field-title')
  const aspectRatio = page.locator('#field-projectSettings__aspectRatio')
  await aspectRatio.waitFor()
  await expect(aspectRatio.textContent()).resolves.toContain('16:9')
  await page.screenshot({ path: 'tests/e2e/admin/.last-project-form.png', fullPage: true })
})
