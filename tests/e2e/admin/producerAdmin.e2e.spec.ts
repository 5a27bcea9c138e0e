import type { Browser, Locator, Page, Request } from 'playwright-core'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { launchBrowser, saveUntilSent } from '../../helpers/browser'
import { pngFile } from '../../helpers/files'
import { requestJson } from '../../helpers/http'
import { latestInvitation } from '../../helpers/mail'
import { createDoc, type Person, people, testRateLimits } from '../api/v1/session'

/**
 * The admin from the seat of its main users (issue 13): a producer who is not an admin builds a series in Chromium —
 * project, characters, an episode, scenes with dialogue, an image — from the project hub and the "+" drawers; the
 * pickers keep to the project, an illegal status is not offered, a domain error lands on its field, the dashboard
 * counts what they may read; the owner invites a collaborator from the project view, who accepts on their dashboard
 * and edits a scene, and is removed again; a stranger sees none of it. The prompt template
 * preview is tried by the same producer (producers manage templates). Screenshots: tests/e2e/admin/.last-*.png.
 */
let app: RunningApp
let browser: Browser
let admin: Person
let producer: Person
let collaborator: Person
let stranger: Person
let page: Page

const PASSWORD = 'Passw0rd!secret'
const ids: Record<string, string> = {}

/** A page of its own (cookies apart) signed in through the admin's login form. */
async function signIn(person: Person): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  const signedIn = await context.newPage()
  signedIn.setDefaultTimeout(20_000)
  await signedIn.goto(`${app.url}/admin/login`)
  await signedIn.fill('#field-email', person.email)
  await signedIn.fill('#field-password', PASSWORD)
  await signedIn.click('button[type="submit"]')
  await signedIn.waitForURL((url) => url.pathname === '/admin')
  return signedIn
}

const rest = (person: Person, path: string, options: { method?: string; body?: unknown } = {}) =>
  requestJson(`${app.url}${path}`, { ...options, token: person.token })

/** The open drawer on top of the stack. */
const topDrawer = (on: Page) => on.locator('.drawer--is-open').last()

/** Opens a relationship/select field's menu and returns the option labels it offers. */
async function optionsOf(scope: Locator | Page, fieldId: string, on: Page = page): Promise<string[]> {
  await scope.locator(`#${fieldId} .rs__control`).click()
  const menu = on.locator('.rs__menu')
  await menu.waitFor()
  // Relationship options load from the API, and the menu can open empty before the request starts: every picker
  // read here has options, so wait for the first, then for loading to end (a later page would still be coming).
  await menu.locator('.rs__option').first().waitFor()
  await on.waitForFunction(() => !document.querySelector('.rs__menu .rs__menu-notice--loading, .rs__menu .loading-indicator'))
  const labels = await menu.locator('.rs__option').allTextContents()
  return labels.map((label) => label.trim())
}

/** The open menu's option whose label is exactly `label` ("Pilot", not "Side pilot"). */
const option = (on: Page, label: string) => on.locator('.rs__menu .rs__option').getByText(label, { exact: true })

async function choose(scope: Locator | Page, fieldId: string, label: string, on: Page = page) {
  await scope.locator(`#${fieldId} .rs__control`).click()
  await option(on, label).click()
  await expect.poll(() => scope.locator(`#${fieldId} .rs__value-container`).textContent()).toContain(label)
}

/** Closes a field's open menu by clicking its label (Escape would close the drawer the field is in). */
async function closeMenu(scope: Locator | Page, fieldId: string, on: Page = page) {
  await scope.locator(`#${fieldId} .field-label`).first().click()
  await on.locator('.rs__menu').waitFor({ state: 'detached' })
}

async function waitForDrawersClosed(on: Page = page) {
  await on.locator('.drawer--is-open').first().waitFor({ state: 'detached' })
}

/** The save request of a form: `method` on exactly `path` (a create POSTs to /api/<collection>, an update PATCHes its document). */
const savesTo = (method: 'POST' | 'PATCH', path: string) => (request: Request) => request.method() === method && new URL(request.url()).pathname === path

/** Saves the page's form (or the top drawer's) through saveUntilSent and expects the save's status. */
async function save(on: Page, isSave: (request: Request) => boolean, { inDrawer = false, status = [200, 201] } = {}) {
  const button = inDrawer ? topDrawer(on).locator('#action-save') : on.locator('#action-save')
  expect(status).toContain(await saveUntilSent(on, isSave, button))
}

const successToast = (on: Page, text: RegExp) => on.locator('.payload-toast-container .toast-success', { hasText: text }).first().waitFor()

beforeAll(async () => {
  app = await startApp('producer_admin', { RATE_LIMITS: testRateLimits })
  const accounts = await people(app)
  admin = accounts.admin
  producer = await accounts.person('producer')
  collaborator = await accounts.person('collaborator')
  stranger = await accounts.person('stranger')
  // Producers manage prompt templates; otherwise a producer is a tenant like any user (no admin rights).
  const promoted = await rest(admin, `/api/users/${producer.id}`, { method: 'PATCH', body: { role: 'producer' } })
  expect(promoted.status).toBe(200)

  // Work elsewhere that the pickers must not offer: the producer's other project, and a stranger's project.
  const side = await createDoc(app, producer, 'projects', { title: 'Side Project' })
  await createDoc(app, producer, 'episodes', { project: side.id, title: 'Side pilot' })
  await createDoc(app, producer, 'characters', { project: side.id, name: 'Sidekick' })
  const hidden = await createDoc(app, stranger, 'projects', { title: 'Stranger Things Elsewhere' })
  await createDoc(app, stranger, 'episodes', { project: hidden.id, title: 'Stranger pilot' })

  browser = await launchBrowser()
  page = await signIn(producer)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

it('a producer creates a project from the admin', async () => {
  await page.goto(`${app.url}/admin/collections/projects/create`)
  await page.fill('#field-title', 'Moonfall')
  await page.fill('#field-episodeCount', '3')
  await save(page, savesTo('POST', '/api/projects'))
  await page.waitForURL(/\/admin\/collections\/projects\/[0-9a-f]{24}$/)
  ids.project = page.url().split('/').pop()!
  const saved = await rest(producer, `/api/projects/${ids.project}?depth=0`)
  expect(saved.body).toMatchObject({ title: 'Moonfall', createdBy: producer.id, episodeCount: 3 })
})

it('adds a character and an episode from the project hub; each drawer closes once saved and the hub lists it', async () => {
  const hub = page.locator('[data-hub="project"]')
  await hub.getByText('Add character').click()
  await topDrawer(page).locator('#field-name').fill('Mira')
  await save(page, savesTo('POST', '/api/characters'), { inDrawer: true })
  await waitForDrawersClosed()
  await hub.locator('.hub__chips a', { hasText: 'Mira' }).waitFor()

  await hub.getByText('Add episode').click()
  await topDrawer(page).locator('#field-title').fill('Pilot')
  await save(page, savesTo('POST', '/api/episodes'), { inDrawer: true })
  await waitForDrawersClosed()
  const row = hub.locator('tr[data-episode-number="1"]')
  await row.getByText('Pilot').waitFor()
  await expect(row.textContent()).resolves.toContain('Planning')
  await page.screenshot({ path: 'tests/e2e/admin/.last-project-hub.png', fullPage: true })

  const episodes = await rest(producer, `/api/episodes?where[project][equals]=${ids.project}&depth=0`)
  expect(episodes.body.docs.map((doc: { title: string; episodeNumber: number }) => [doc.title, doc.episodeNumber])).toEqual([['Pilot', 1]])
  ids.episode = episodes.body.docs[0].id
  const characters = await rest(producer, `/api/characters?where[project][equals]=${ids.project}&depth=0`)
  ids.mira = characters.body.docs.find((doc: { name: string }) => doc.name === 'Mira').id
})

it("adds a scene from the episode's list: the pickers offer only this project's episodes and characters", async () => {
  await page.goto(`${app.url}/admin/collections/episodes/${ids.episode}`)
  const list = page.locator('[data-hub="episode"]')
  await list.getByText('Add scene').click()
  const drawer = topDrawer(page)
  await drawer.locator('#field-title').fill('Arrival')
  // The drawer starts with the project and the episode; the episode picker keeps to the project.
  await expect.poll(() => drawer.locator('#field-episode .rs__value-container').textContent()).toContain('Pilot')
  const episodeOptions = await optionsOf(drawer, 'field-episode')
  expect(episodeOptions).toContain('Pilot')
  expect(episodeOptions).not.toContain('Side pilot')
  expect(episodeOptions).not.toContain('Stranger pilot')
  await closeMenu(drawer, 'field-episode')

  await drawer.getByRole('button', { name: 'Add Dialogue' }).click()
  const speakerOptions = await optionsOf(drawer, 'field-script__dialogue__0__character')
  expect(speakerOptions).toEqual(['Mira'])
  await option(page, 'Mira').click()
  await drawer.locator('#field-script__dialogue__0__lines').fill('We made it. The moon is ours.')
  await drawer.locator('#field-script__dialogue__0__timing').fill('4')
  await save(page, savesTo('POST', '/api/scenes'), { inDrawer: true })
  await waitForDrawersClosed()
  await list.locator('tr[data-scene-number="1"]').getByText('Arrival').waitFor()
})

it('writes a second scene on its own page, its speaker created through the "+" drawer of the dialogue field', async () => {
  await page.goto(`${app.url}/admin/collections/scenes/create`)
  await page.fill('#field-title', 'Departure')
  await choose(page, 'field-episode', 'Pilot')
  await page.getByRole('button', { name: 'Add Dialogue' }).click()
  await page.locator('#field-script__dialogue__0__character .relationship-add-new__add-button').click()
  const drawer = topDrawer(page)
  await drawer.locator('#field-name').fill('Theo')
  // The drawer's character belongs to the scene's project (its episode's), without the producer choosing it.
  await expect.poll(() => drawer.locator('#field-project .rs__value-container').textContent()).toContain('Moonfall')
  await save(page, savesTo('POST', '/api/characters'), { inDrawer: true })
  await successToast(page, /Character successfully created/)
  // Payload keeps a "+" drawer open on the saved document; the new character is already the speaker.
  await expect.poll(() => page.locator('#field-script__dialogue__0__character .rs__value-container').textContent()).toContain('Theo')
  await drawer.locator('.doc-drawer__header-close').click()
  await waitForDrawersClosed()

  await page.fill('#field-script__dialogue__0__lines', 'Then we leave before dawn.')
  await page.getByRole('button', { name: 'Add Dialogue' }).click()
  await choose(page, 'field-script__dialogue__1__character', 'Mira')
  await page.fill('#field-script__dialogue__1__lines', 'Not without the map.')
  await save(page, savesTo('POST', '/api/scenes'))
  await page.waitForURL(/\/admin\/collections\/scenes\/[0-9a-f]{24}$/)
  ids.departure = page.url().split('/').pop()!
  await page.screenshot({ path: 'tests/e2e/admin/.last-scene-form.png', fullPage: true })

  const scene = await rest(producer, `/api/scenes/${ids.departure}?depth=1`)
  expect(scene.body).toMatchObject({ title: 'Departure', sceneNumber: 2, project: { id: ids.project } })
  expect(scene.body.script.dialogue.map((line: { character: { name: string; project: string } }) => [line.character.name, line.character.project])).toEqual([
    ['Theo', ids.project],
    ['Mira', ids.project],
  ])
  const arrival = await rest(producer, `/api/scenes?where[episode][equals]=${ids.episode}&where[sceneNumber][equals]=1&depth=0`)
  ids.arrival = arrival.body.docs[0].id

  // The scenes list is in scene order (not newest first) and names each scene's project.
  await page.goto(`${app.url}/admin/collections/scenes`)
  const rows = page.locator('.collection-list table tbody tr')
  await rows.first().waitFor()
  await expect(page.locator('.collection-list table thead').textContent()).resolves.toContain('Project')
  const listed = await rows.allTextContents()
  expect(listed.map((row) => (row.includes('Arrival') ? 'Arrival' : row.includes('Departure') ? 'Departure' : row))).toEqual(['Arrival', 'Departure'])
  // Relationship cells fetch their titles after the table renders.
  await expect.poll(async () => (await rows.allTextContents()).every((row) => row.includes('Moonfall'))).toBe(true)
})

it('uploads an image that shows as a thumbnail in the media list and on its scene', async () => {
  await page.goto(`${app.url}/admin/collections/media/create`)
  const image = await pngFile(320, 180, 'moon-concept.png')
  await page.setInputFiles('input[type="file"]', { name: image.name, mimeType: image.mimetype, buffer: image.data })
  await choose(page, 'field-project', 'Moonfall')
  await choose(page, 'field-mediaType', 'Concept art')
  const sceneOptions = await optionsOf(page, 'field-scene')
  expect(sceneOptions.sort()).toEqual(['Arrival', 'Departure'])
  await option(page, 'Arrival').click()
  await save(page, savesTo('POST', '/api/media'))
  await page.waitForURL(/\/admin\/collections\/media\/[0-9a-f]{24}$/)

  await page.goto(`${app.url}/admin/collections/media`)
  const listed = page.locator('table img[src*="moon-concept"]').first()
  await listed.waitFor()
  await expect.poll(() => listed.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)

  await page.goto(`${app.url}/admin/collections/scenes/${ids.arrival}`)
  const onScene = page.locator('[data-hub="scene-media"] img[src*="moon-concept"]')
  await onScene.waitFor()
  await expect.poll(() => onScene.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)
})

it("a media field's picker and its choice show the image as a thumbnail", async () => {
  // Departure: the producer's own edits leave the document locked to them for a while, and the collaborator edits Arrival later.
  await page.goto(`${app.url}/admin/collections/scenes/${ids.departure}`)
  await page.getByRole('button', { name: 'Add Panel' }).click()
  const field = page.locator('#field-storyboard__panels__0__image')
  await field.getByRole('button', { name: 'Choose from existing' }).click()
  const picker = topDrawer(page)
  const offered = picker.locator('img[src*="moon-concept"]').first()
  await offered.waitFor()
  await picker.locator('tbody tr', { hasText: 'moon-concept' }).locator('button').first().click()
  await waitForDrawersClosed()
  const chosen = field.locator('img[src*="moon-concept"]').first()
  await chosen.waitFor()
  await expect.poll(() => chosen.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)
  await save(page, savesTo('PATCH', `/api/scenes/${ids.departure}`))
  const scene = await rest(producer, `/api/scenes/${ids.departure}?depth=1`)
  expect(scene.body.storyboard.panels[0].image.filename).toMatch(/^[0-9a-f]{24}-moon-concept/)
})

it('offers only the statuses the state machine allows next', async () => {
  await page.goto(`${app.url}/admin/collections/scenes/${ids.arrival}`)
  expect(await optionsOf(page, 'field-production__status')).toEqual(['Pending', 'Generating'])
  await closeMenu(page, 'field-production__status')
  await page.goto(`${app.url}/admin/collections/episodes/${ids.episode}`)
  expect(await optionsOf(page, 'field-status')).toEqual(['Planning', 'Scripting'])
  await closeMenu(page, 'field-status')
})

it('shows a domain error on its field, in words, never as a path or an id', async () => {
  await page.goto(`${app.url}/admin/collections/episodes/create`)
  await choose(page, 'field-project', 'Moonfall')
  await page.fill('#field-episodeNumber', '1')
  await page.fill('#field-title', 'Second pilot')
  await save(page, savesTo('POST', '/api/episodes'), { status: [400] })
  const wrapper = page.locator('#field-episodeNumber').locator(`xpath=ancestor::div[contains(concat(' ', @class, ' '), ' field-type ')][1]`)
  await expect.poll(() => wrapper.getAttribute('class')).toContain('error')
  await wrapper.getByText('The project already has an episode 1.').waitFor()
  const toasts = await page.locator('.payload-toast-container').allTextContents()
  expect(toasts.join(' ')).not.toMatch(/episodeNumber|[0-9a-f]{24}/)
  const episodes = await rest(producer, `/api/episodes?where[project][equals]=${ids.project}&limit=0`)
  expect(episodes.body.totalDocs).toBe(1)
})

it("lands on a dashboard whose counts match the producer's data", async () => {
  // One scene goes to review from the admin, so the review figure counts something.
  for (const status of ['Generating', 'Reviewing']) {
    await page.goto(`${app.url}/admin/collections/scenes/${ids.departure}`)
    await choose(page, 'field-production__status', status)
    await save(page, savesTo('PATCH', `/api/scenes/${ids.departure}`))
    await successToast(page, /successfully/)
  }
  await page.goto(`${app.url}/admin`)
  const dashboard = page.locator('[data-dashboard]')
  await dashboard.waitFor()
  const count = async (key: string) => Number(await dashboard.locator(`[data-count="${key}"] dd`).textContent())
  const total = async (path: string) => (await rest(producer, `${path}&limit=0`)).body.totalDocs as number

  expect(await count('episodes-planning')).toBe(await total('/api/episodes?where[status][equals]=planning'))
  expect(await count('episodes-planning')).toBe(2) // Pilot and Side pilot, not the stranger's
  expect(await count('scenes-reviewing')).toBe(await total('/api/scenes?where[production.status][equals]=reviewing'))
  expect(await count('scenes-reviewing')).toBe(1)
  expect(await count('tasks-queued')).toBe(await total('/api/tasks?where[status][equals]=queued'))
  await dashboard.locator('[data-project="Moonfall"]').waitFor()
  await dashboard.locator('[data-project="Side Project"]').waitFor()
  await expect(dashboard.locator('[data-project="Stranger Things Elsewhere"]').count()).resolves.toBe(0)
  await dashboard.locator('img[src*="moon-concept"]').waitFor()
  await page.screenshot({ path: 'tests/e2e/admin/.last-dashboard.png', fullPage: true })
})

it('the owner invites a collaborator from the project view; they accept on their dashboard and edit a scene', async () => {
  await page.goto(`${app.url}/admin/collections/projects/${ids.project}`)
  const members = page.locator('[data-members]')
  await members.locator('[data-member="producer"]').getByText('Owner', { exact: true }).waitFor()
  await members.locator('#members-invite-email').fill(collaborator.email)
  await members.getByRole('button', { name: 'Invite' }).click()
  await members.getByText(`Invitation sent to ${collaborator.email}.`).waitFor()
  await members.locator(`[data-pending-invitations] [data-invitation="${collaborator.email}"]`).waitFor()
  // An invitation sent to the wrong address is taken back: its token stops working.
  await members.locator('#members-invite-email').fill('typo@example.test')
  await members.getByRole('button', { name: 'Invite' }).click()
  const typo = members.locator('[data-pending-invitations] [data-invitation="typo@example.test"]')
  await typo.getByRole('button', { name: 'Withdraw' }).click()
  await members.getByText('The invitation to typo@example.test was withdrawn.').waitFor()
  await typo.waitFor({ state: 'detached' })

  const colleague = await signIn(collaborator)
  const invitation = colleague.locator('[data-my-invitations] [data-invitation-project="Moonfall"]')
  // The token from the invitation mail sent to their address proves the address is theirs.
  await invitation.locator('[data-invitation-token]').fill(latestInvitation(collaborator.email, app.outboxDir).token)
  await invitation.getByRole('button', { name: 'Accept' }).click()
  await colleague.locator('[data-dashboard] [data-project="Moonfall"]').waitFor()
  await invitation.waitFor({ state: 'detached' })

  await colleague.goto(`${app.url}/admin/collections/scenes/${ids.arrival}`)
  await colleague.fill('#field-title', 'Arrival at night')
  await save(colleague, savesTo('PATCH', `/api/scenes/${ids.arrival}`))
  await successToast(colleague, /successfully/)
  const scene = await rest(producer, `/api/scenes/${ids.arrival}?depth=0`)
  expect(scene.body.title).toBe('Arrival at night')
  await colleague.context().close()

  await page.reload()
  await members.locator('[data-member="collaborator"]').getByText('Collaborator', { exact: true }).waitFor()
  await expect(members.locator('[data-pending-invitations]').count()).resolves.toBe(0)
})

it('the owner removes the collaborator, who then reads nothing of the project', async () => {
  const members = page.locator('[data-members]')
  await members.locator('[data-member="collaborator"]').getByRole('button', { name: 'Remove' }).click()
  await members.getByText('collaborator no longer works on this project.').waitFor()
  await members.locator('[data-member="collaborator"]').waitFor({ state: 'detached' })
  await expect(members.locator('[data-member="producer"] button').count()).resolves.toBe(0) // the owner stays
  expect((await rest(collaborator, `/api/scenes/${ids.arrival}`)).status).toBe(404)
})

it('a stranger sees none of it: not in lists, not on the dashboard, not by its address', async () => {
  const outsider = await signIn(stranger)
  await outsider.locator('[data-dashboard]').waitFor()
  await outsider.locator('[data-dashboard] [data-project="Stranger Things Elsewhere"]').waitFor()
  await expect(outsider.locator('[data-dashboard] [data-project="Moonfall"]').count()).resolves.toBe(0)

  for (const [collection, title] of [
    ['projects', 'Moonfall'],
    ['episodes', 'Pilot'],
    ['scenes', 'Arrival'],
    ['characters', 'Mira'],
  ]) {
    await outsider.goto(`${app.url}/admin/collections/${collection}`)
    await outsider.locator('.collection-list').waitFor()
    await expect(outsider.locator('.collection-list').textContent(), collection).resolves.not.toContain(title)
  }
  await outsider.goto(`${app.url}/admin/collections/scenes/${ids.arrival}`)
  // Payload answers a document the user may not read with its list and a notice, as for one that does not exist.
  await outsider.waitForURL(/\/admin\/collections\/scenes\?notFound=/)
  await outsider.getByText('could not be found').waitFor()
  await expect(outsider.locator('body').textContent()).resolves.not.toContain('Arrival')
  expect((await rest(stranger, `/api/scenes/${ids.arrival}`)).status).toBe(404)
  await outsider.context().close()
})

it('previews a prompt template with sample inputs, and names each variable a refused render found', async () => {
  await page.goto(`${app.url}/admin/collections/prompt-templates/create`)
  await page.locator('[data-prompt-preview]').getByText('Save the template first').waitFor()

  const template = await createDoc(app, producer, 'prompt-templates', {
    name: 'Scene opener',
    template: 'Write a {{genre}} scene where {{hero}} arrives. Keep it under {{words}} words.',
    variableDefs: [
      { name: 'genre', type: 'string', defaultValue: 'noir' },
      { name: 'hero', type: 'string', required: true },
      { name: 'words', type: 'number', defaultValue: 120 },
    ],
  })
  await page.goto(`${app.url}/admin/collections/prompt-templates/${template.id}`)
  const preview = page.locator('[data-prompt-preview]')
  const inputs = preview.locator('#prompt-preview-inputs')
  await inputs.waitFor()
  expect(JSON.parse(await inputs.inputValue())).toEqual({ genre: 'noir', hero: '', words: 120 })

  await inputs.fill(JSON.stringify({ genre: 'noir', hero: 'Mira', words: 80 }))
  await preview.getByRole('button', { name: 'Preview' }).click()
  const prompt = preview.locator('[data-resolved-prompt]')
  await prompt.waitFor()
  await expect(prompt.textContent()).resolves.toBe('Write a noir scene where Mira arrives. Keep it under 80 words.')
  await expect(preview.locator('[data-variable]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-variable')))).resolves.toEqual([
    'genre',
    'hero',
    'words',
  ])
  await expect(preview.locator('[data-variable="hero"]').textContent()).resolves.toContain('Mira')

  await inputs.fill(JSON.stringify({ genre: 7, words: 'many', mood: 'dark' }))
  await preview.getByRole('button', { name: 'Preview' }).click()
  const refusal = preview.locator('[role="alert"]')
  await refusal.waitFor()
  const named = await refusal.locator('[data-issue]').evaluateAll((items) => items.map((item) => item.getAttribute('data-issue')))
  expect(named.sort()).toEqual(['genre', 'hero', 'mood', 'words'])
  await expect(preview.locator('[data-resolved-prompt]').count()).resolves.toBe(0)
  await page.screenshot({ path: 'tests/e2e/admin/.last-prompt-preview.png', fullPage: true })
})
