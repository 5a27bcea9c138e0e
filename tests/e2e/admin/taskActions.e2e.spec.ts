import type { Browser, Page } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, openPage, signInToAdmin } from '../../helpers/browser'
import { requestJson } from '../../helpers/http'
import { createDoc, type Person, people, testRateLimits } from '../api/v1/session'

/**
 * Issue 19 item 3 in the admin: a member's task view shows the engine's fields read-only, and its Cancel and Retry
 * buttons go through the engine (/api/v1/tasks/{id}/cancel and /retry).
 */
let app: RunningApp
let browser: Browser
let page: Page
let owner: Person
let task: { id: string }

beforeAll(async () => {
  app = await startApp('task_actions', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  owner = await users.person('owner')
  const project = await createDoc(app, owner, 'projects', { title: 'Buttons', genre: 'drama' })
  task = await createDoc(app, owner, 'tasks', { project: project.id, taskType: 'image_generation' })
  browser = await launchBrowser()
  page = await openPage(browser)
  await signInToAdmin(page, app.url, owner.email, 'Passw0rd!secret')
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const statusOf = async (id: string) => (await requestJson(`${app.url}/api/tasks/${id}`, { token: owner.token })).body.status

it('a member cancels through the engine, then retries as a new task; the status select is read-only', async () => {
  await page.goto(`${app.url}/admin/collections/tasks/${task.id}`)
  const cancel = page.locator('[data-task-actions] [data-action="cancel"]')
  await cancel.waitFor()
  // The engine's status is not the member's to pick.
  const statusField = page.locator('#field-status')
  await statusField.waitFor()
  expect(await statusField.getAttribute('class')).toContain('read-only')
  await page.locator('#field-status .react-select.rs--is-disabled').waitFor()
  await cancel.click()
  await expect.poll(() => statusOf(task.id)).toBe('cancelled')
  await page.reload()
  const retry = page.locator('[data-task-actions] [data-action="retry"]')
  await retry.waitFor()
  await retry.click()
  await page.waitForURL((url) => /\/admin\/collections\/tasks\/[0-9a-f]{24}$/.test(url.pathname) && !url.pathname.endsWith(task.id))
  const retriedId = new URL(page.url()).pathname.split('/').pop()!
  expect(await statusOf(retriedId)).toBe('queued')
  expect(await statusOf(task.id)).toBe('cancelled')
})
