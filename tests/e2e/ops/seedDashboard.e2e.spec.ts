import type { Browser, Page } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser } from '../../helpers/browser'
import { runScript } from '../../helpers/runScript'

/**
 * A newcomer's first minutes: `npm run seed` on the app's empty database, then the demo producer signs in to the
 * admin in Chromium and lands on a dashboard full of their production (screenshot saved as test output).
 */
let app: RunningApp
let browser: Browser
let page: Page
let passwords: Record<string, string>

beforeAll(async () => {
  app = await startApp('seed_dashboard')
  const seeded = await runScript('seed', [], { DATABASE_URL: app.databaseUrl })
  expect(seeded.code, seeded.stderr).toBe(0)
  passwords = Object.fromEntries([...seeded.stdout.matchAll(/^\s+(\S+@demo\.test)\s+\w+\s+(Demo-\S+)$/gm)].map(([, email, password]) => [email, password]))
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  page.setDefaultTimeout(60_000)
}, 600_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

it('shows the demo producer their projects, episode and task counts, scenes to review and recent images', async () => {
  await page.goto(`${app.url}/admin/login`)
  await page.fill('#field-email', 'producer@demo.test')
  await page.fill('#field-password', passwords['producer@demo.test'])
  await page.click('button[type="submit"]')
  await page.waitForSelector('[data-dashboard]')
  const dashboard = page.locator('[data-dashboard]')
  for (const title of ['The Lighthouse Keeper', 'Neon Tide', 'Paper Moons']) {
    await expect(dashboard.locator(`[data-project="${title}"]`).count(), title).resolves.toBe(1)
  }
  // The seed leaves two queued tasks and one in each other status; the dashboard counts the open and failed ones.
  for (const [status, expected] of [['queued', '2'], ['processing', '1'], ['failed', '1']]) {
    await expect(dashboard.locator(`[data-count="tasks-${status}"] dd`).textContent(), status).resolves.toBe(expected)
  }
  // Episodes: the flagship's three stages and Neon Tide's pilot.
  await expect(dashboard.locator('[data-count="episodes-scripting"] dd').textContent()).resolves.toBe('2')
  await expect(dashboard.locator('[data-count="episodes-production"] dd').textContent()).resolves.toBe('1')
  await expect(dashboard.locator('[data-count="scenes-reviewing"] dd').textContent()).resolves.toBe('1')
  await page.waitForFunction(() => [...document.querySelectorAll('.hub__thumbnails img')].some((img) => (img as HTMLImageElement).naturalWidth > 0))
  await page.screenshot({ path: 'tests/e2e/ops/.last-seed-dashboard.png', fullPage: true })
}, 300_000)

it('shows the outsider an empty dashboard: nothing of the demo production leaks', async () => {
  const context = await browser.newContext()
  const outsider = await context.newPage()
  await outsider.goto(`${app.url}/admin/login`)
  await outsider.fill('#field-email', 'outsider@demo.test')
  await outsider.fill('#field-password', passwords['outsider@demo.test'])
  await outsider.click('button[type="submit"]')
  await outsider.waitForSelector('[data-dashboard]')
  await expect(outsider.locator('[data-dashboard] [data-project]').count()).resolves.toBe(0)
  await expect(outsider.locator('[data-dashboard]').textContent()).resolves.toContain('No projects yet.')
  await context.close()
}, 300_000)
