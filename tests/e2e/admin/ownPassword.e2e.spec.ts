import type { Browser, Page } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, openPage, saveUntilSent, signInToAdmin } from '../../helpers/browser'
import { requestJson } from '../../helpers/http'
import { emailChangeToken } from '../../helpers/mail'
import { people, type Person, testRateLimits } from '../api/v1/session'

/**
 * A non-admin changes their own password in the admin's account view (issue 9 item 12): the view asks for the
 * current password while a new one is typed and sends it; a wrong one changes nothing, the right one changes it.
 */
let app: RunningApp
let browser: Browser
let page: Page
let admin: Person, member: Person
const OLD = 'Passw0rd!secret'
const NEW = 'Brand-new-passw0rd!'

beforeAll(async () => {
  app = await startApp('admin_own_password', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  admin = users.admin
  member = await users.person('member')
  browser = await launchBrowser()
  page = await openPage(browser)
  // Leaving a form with unsaved changes asks first (beforeunload); the tests reload on purpose.
  page.on('dialog', (dialog) => void dialog.accept())
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const login = (password: string) => requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { email: member.email, password } })

/** Fills the new password twice and the current one, saves, and returns the status of the admin's PATCH. */
async function typeNewPassword(current: string): Promise<number> {
  await page.fill('#field-password', NEW)
  await page.fill('#field-confirm-password', NEW)
  await page.fill('#field-currentPassword', current)
  await page.locator('#action-save:not([disabled])').waitFor()
  return saveUntilSent(page, (request) => request.method() === 'PATCH' && new URL(request.url()).pathname === `/api/users/${member.id}`)
}

it('asks for the current password only while a new one is being set on one’s own account', async () => {
  await signInToAdmin(page, app.url, member.email, OLD)
  await page.goto(`${app.url}/admin/account`)
  await page.getByRole('button', { name: 'Change Password' }).waitFor()
  expect(await page.locator('#field-currentPassword').count()).toBe(0)
  await page.getByRole('button', { name: 'Change Password' }).click()
  await page.waitForSelector('#field-password')
  expect(await page.locator('#field-currentPassword').count()).toBe(0)
  await page.fill('#field-password', NEW)
  await page.locator('#field-currentPassword').waitFor({ state: 'visible' })
})

it('refuses a wrong current password and keeps the old one', async () => {
  expect(await typeNewPassword('not-my-password')).toBe(400)
  await page.getByText('The current password is not correct.').first().waitFor()
  expect((await login(NEW)).status).toBe(401)
  expect((await login(OLD)).status).toBe(200)
})

it('changes the password with the right current one', async () => {
  await page.goto(`${app.url}/admin/account`)
  await page.getByRole('button', { name: 'Change Password' }).click()
  expect(await typeNewPassword(OLD)).toBe(200)
  expect((await login(NEW)).status).toBe(200)
  expect((await login(OLD)).status).toBe(401)
})

it('does not ask an admin setting another account’s password', async () => {
  const context = await browser.newContext()
  const adminPage = await context.newPage()
  adminPage.setDefaultTimeout(60_000)
  await signInToAdmin(adminPage, app.url, admin.email, OLD)
  await adminPage.goto(`${app.url}/admin/collections/users/${member.id}`)
  // The member's account view (above) may still hold the document lock: the admin is then asked to take over first.
  const takeOver = adminPage.getByRole('button', { name: 'Take over' })
  const changePassword = adminPage.getByRole('button', { name: 'Change Password' })
  await takeOver.or(changePassword).first().waitFor()
  if (await takeOver.isVisible()) await takeOver.click()
  await changePassword.click()
  await adminPage.fill('#field-password', NEW)
  await adminPage.fill('#field-confirm-password', NEW)
  expect(await adminPage.locator('#field-currentPassword').count()).toBe(0)
  await context.close()
})

it('asks for the current password when the email is edited; the new address counts once its mailed token confirms', async () => {
  // Issue 19 item 2, from the admin's account view.
  const next = `moved-${Date.now()}@example.test`
  await page.goto(`${app.url}/admin/account`)
  await page.locator('#field-email').waitFor()
  expect(await page.locator('#field-currentPassword').count()).toBe(0)
  await page.fill('#field-email', next)
  await page.locator('#field-currentPassword').waitFor({ state: 'visible' })
  await page.fill('#field-currentPassword', NEW)
  await page.locator('#action-save:not([disabled])').waitFor()
  const status = await saveUntilSent(page, (request) => request.method() === 'PATCH' && new URL(request.url()).pathname === `/api/users/${member.id}`)
  expect(status).toBe(200)
  const account = await requestJson(`${app.url}/api/users/${member.id}`, { token: (await login(NEW)).body.token })
  expect([account.body.email, account.body.pendingEmail]).toEqual([member.email, next])
  expect((await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { email: next, password: NEW } })).status).toBe(401)
  const token = emailChangeToken(next, app.outboxDir)
  expect((await requestJson(`${app.url}/api/v1/account/email/confirm`, { method: 'POST', body: { token } })).status).toBe(200)
  expect((await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { email: next, password: NEW } })).status).toBe(200)
})
