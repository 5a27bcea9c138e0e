import { type Browser, chromium, type Locator, type Page, type Request } from 'playwright-core'

/** Debian's Chromium, headless; nothing is downloaded. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/** A new page of `browser` that waits up to a minute (the admin compiles nothing, but a busy machine is slow). */
export async function openPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage()
  page.setDefaultTimeout(60_000)
  return page
}

/** Signs in through the admin's login form and waits for the dashboard. */
export async function signInToAdmin(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/admin/login`)
  await page.fill('#field-email', email)
  await page.fill('#field-password', password)
  await page.click('button[type="submit"]')
  await page.waitForURL((target) => target.pathname === '/admin' || target.pathname === '/admin/')
}

/**
 * Clicks a form's Save until the save request leaves the browser, and returns its response's status. The admin
 * re-reads its form state from the server after every change; a click that lands while that refresh is being
 * applied is dropped by the form without a request (seen in about one run in four), and a person would click
 * again. Only a click that sent nothing is repeated, so a save is never sent twice.
 */
export async function saveUntilSent(page: Page, isSave: (request: Request) => boolean, save: Locator = page.locator('#action-save')): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const sent = page.waitForRequest(isSave, { timeout: 10_000 }).catch(() => undefined)
    await save.click()
    const request = await sent
    if (request) {
      const response = await request.response()
      if (!response) throw new Error(`the save request ${request.method()} ${request.url()} got no response`)
      return response.status()
    }
    if (attempt === 3) throw new Error('three clicks on Save sent no save request')
  }
}
