import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { requestJson } from '../../helpers/http'
import { emailChangeToken, invitationToken, latestInvitation, mailTo } from '../../helpers/mail'
import { openSse } from '../../helpers/sse'
import { createDoc, type Person, people, testRateLimits } from '../api/v1/session'

// Logins and current-password checks hash passwords (600,000 PBKDF2 rounds): slow on a busy machine.
vi.setConfig({ testTimeout: 180_000 })

/**
 * Issue 19, items 2, 10, 11 and 12, over HTTP against `next start`, from the attacker's seat (non-admin producers,
 * a worker's API key): an email change needs the current password and counts only once the new address confirms;
 * invitations and transfers are bound to the token mailed to the invited address, so an email change (or a
 * registration) to that address grants nothing; owners list and withdraw what they sent; a stream ends when its
 * principal changes; request bodies never reach arguments they do not own; API keys never act on the account.
 */
const PASSWORD = 'Passw0rd!secret'
let app: RunningApp
let admin: Person, owner: Person, attacker: Person, invitee: Person
let project: { id: string }
const v1 = (path: string) => `${app.url}/api/v1${path}`
const unique = () => randomBytes(4).toString('hex')
const login = async (email: string, password = PASSWORD) => requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { email, password } })
const me = (token: string) => requestJson(`${app.url}/api/users/me`, { token })
const patchSelf = (person: Person, body: Record<string, unknown>) => requestJson(`${app.url}/api/users/${person.id}`, { method: 'PATCH', token: person.token, body })
const ownerOf = async (projectId: string) => String((await requestJson(`${app.url}/api/projects/${projectId}?depth=0`, { token: admin.token })).body.createdBy)
let people_: Awaited<ReturnType<typeof people>>

beforeAll(async () => {
  app = await startApp('account_takeover', { RATE_LIMITS: testRateLimits, SSE_HEARTBEAT_MS: '300' })
  people_ = await people(app)
  admin = people_.admin
  owner = await people_.person('owner')
  attacker = await people_.person('attacker')
  invitee = await people_.person('invitee')
  // The attacker is a producer (a role with more than a plain user), not an admin.
  expect((await requestJson(`${app.url}/api/users/${attacker.id}`, { method: 'PATCH', token: admin.token, body: { role: 'producer' } })).status).toBe(200)
  project = await createDoc(app, owner, 'projects', { title: 'Crown Jewels', genre: 'drama' })
}, 900_000)
afterAll(async () => app?.stop())

describe('changing one’s email', () => {
  it('is refused without the current password, or with a wrong one, over REST and GraphQL; nothing changes', async () => {
    const target = `free-${unique()}@example.test`
    const missing = await patchSelf(attacker, { email: target })
    expect(missing.status).toBe(400)
    expect(JSON.stringify(missing.body)).toContain('currentPassword')
    const wrong = await patchSelf(attacker, { email: target, currentPassword: 'not-my-password' })
    expect(wrong.status).toBe(400)
    const graphql = await requestJson(`${app.url}/api/graphql`, {
      method: 'POST',
      token: attacker.token,
      body: { query: `mutation { updateUser(id: "${attacker.id}", data: { email: "${target}" }) { email } }` },
    })
    expect(JSON.stringify(graphql.body.errors ?? [])).toMatch(/currentPassword|current password/i)
    expect((await me(attacker.token)).body.user.email).toBe(attacker.email)
    expect(mailTo(target, app.outboxDir)).toEqual([])
  })

  it('answers alike for a free address, a taken one and one with pending invitations, and reveals no titles', async () => {
    const withInvitation = `invited-${unique()}@example.test`
    expect((await requestJson(v1(`/projects/${project.id}/invitations`), { method: 'POST', token: owner.token, body: { email: withInvitation } })).status).toBe(202)
    const answers = []
    for (const email of [`free-${unique()}@example.test`, invitee.email, withInvitation]) {
      const answer = await patchSelf(attacker, { email, currentPassword: PASSWORD })
      answers.push(answer)
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
      expect(answer.body.doc.email).toBe(attacker.email)
      expect(answer.body.doc.pendingEmail).toBe(email)
      expect(JSON.stringify(answer.body)).not.toContain('Crown Jewels')
    }
    const shape = (body: { doc: Record<string, unknown> }) => Object.keys(body.doc).sort()
    expect(shape(answers[1]!.body)).toEqual(shape(answers[0]!.body))
    expect(shape(answers[2]!.body)).toEqual(shape(answers[0]!.body))
    expect((await requestJson(v1('/invitations'), { token: attacker.token })).body.docs).toEqual([])
    // The taken address's holder is told, with nothing to confirm; the old address is told every time.
    expect(emailChangeToken(invitee.email, app.outboxDir)).toBeUndefined()
    expect(mailTo(attacker.email, app.outboxDir).filter((mail) => /change of your email/.test(mail.subject)).length).toBeGreaterThanOrEqual(3)
  })

  it('counts the new address only after the token mailed to it comes back', async () => {
    const person = await people_.person('mover')
    const next = `moved-${unique()}@example.test`
    expect((await patchSelf(person, { email: next, currentPassword: PASSWORD })).status).toBe(200)
    expect((await login(next)).status).toBe(401)
    expect((await login(person.email)).status).toBe(200)
    const refused = await requestJson(v1('/account/email/confirm'), { method: 'POST', body: { token: 'guessed' } })
    expect([refused.status, refused.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const token = emailChangeToken(next, app.outboxDir)!
    expect(token).toBeTruthy()
    const confirmed = await requestJson(v1('/account/email/confirm'), { method: 'POST', body: { token } })
    expect([confirmed.status, confirmed.body]).toEqual([200, { status: 'confirmed', email: next }])
    expect((await login(next)).status).toBe(200)
    expect((await login(person.email)).status).toBe(401)
    expect(mailTo(person.email, app.outboxDir).map((mail) => mail.subject)).toContain('Your email address was changed')
    expect((await requestJson(v1('/account/email/confirm'), { method: 'POST', body: { token } })).status).toBe(400)
  })
})

describe('an email change (or a registration) to an invited address grants nothing', () => {
  it('transfer: the attacker moves to the offered address, cannot see, accept or confirm; the owner keeps the project', async () => {
    const offered = `heir-${unique()}@example.test`
    expect((await requestJson(v1(`/projects/${project.id}/transfer`), { method: 'POST', token: owner.token, body: { email: offered } })).status).toBe(202)
    expect((await patchSelf(attacker, { email: offered, currentPassword: PASSWORD })).status).toBe(200)
    expect((await requestJson(v1('/invitations'), { token: attacker.token })).body.docs).toEqual([])
    const { id } = latestInvitation(offered, app.outboxDir)
    for (const body of [undefined, { token: 'guessed' }, {}]) {
      const answer = await requestJson(v1(`/invitations/${id}/accept`), { method: 'POST', token: attacker.token, body })
      expect([400, 404]).toContain(answer.status)
    }
    expect(await ownerOf(project.id)).toBe(owner.id)
    expect((await requestJson(v1(`/projects/${project.id}`), { token: owner.token })).status).toBe(200)
  })

  it('invitation: a stranger who registers the invited address afterwards neither sees it nor joins', async () => {
    const invited = `later-${unique()}@example.test`
    expect((await requestJson(v1(`/projects/${project.id}/invitations`), { method: 'POST', token: owner.token, body: { email: invited } })).status).toBe(202)
    expect((await requestJson(`${app.url}/api/users`, { method: 'POST', body: { email: invited, password: PASSWORD } })).status).toBe(202)
    const squatter = (await login(invited)).body.token as string
    expect((await requestJson(v1('/invitations'), { token: squatter })).body.docs).toEqual([])
    const { id } = latestInvitation(invited, app.outboxDir)
    expect((await requestJson(v1(`/invitations/${id}/accept`), { method: 'POST', token: squatter, body: { token: 'guessed' } })).status).toBe(404)
    expect((await requestJson(v1(`/projects/${project.id}`), { token: squatter })).status).toBe(404)
  })

  it('password reset: a pending address gets no reset mail; the reset goes to the account’s proven address', async () => {
    const pending = `reset-${unique()}@example.test`
    expect((await patchSelf(attacker, { email: pending, currentPassword: PASSWORD })).status).toBe(200)
    const before = mailTo(pending, app.outboxDir).length
    const forgot = await requestJson(`${app.url}/api/users/forgot-password`, { method: 'POST', body: { email: pending } })
    expect(forgot.status).toBe(200)
    expect(mailTo(pending, app.outboxDir).length).toBe(before)
    const proven = await requestJson(`${app.url}/api/users/forgot-password`, { method: 'POST', body: { email: attacker.email } })
    expect(proven.status).toBe(200)
    expect(mailTo(attacker.email, app.outboxDir).some((mail) => /reset/i.test(`${mail.subject} ${mail.text}`))).toBe(true)
  })

  it('the invited person, with the mailed token, joins', async () => {
    expect((await requestJson(v1(`/projects/${project.id}/invitations`), { method: 'POST', token: owner.token, body: { email: invitee.email } })).status).toBe(202)
    const [listed] = (await requestJson(v1('/invitations'), { token: invitee.token })).body.docs
    expect(listed).toMatchObject({ kind: 'collaborator', project: { id: project.id } })
    expect((await requestJson(v1(`/invitations/${listed.id}/accept`), { method: 'POST', token: invitee.token })).status).toBe(400)
    const token = invitationToken(listed.id, app.outboxDir)
    // The token alone is not enough either: it belongs to the invited address's account.
    expect((await requestJson(v1(`/invitations/${listed.id}/accept`), { method: 'POST', token: attacker.token, body: { token } })).status).toBe(404)
    expect((await requestJson(v1(`/invitations/${listed.id}/accept`), { method: 'POST', token: invitee.token, body: { token } })).status).toBe(200)
    expect((await requestJson(v1(`/projects/${project.id}`), { token: invitee.token })).status).toBe(200)
  })
})

describe('owners list and withdraw what they sent', () => {
  it('lists pending invitations and transfers to the owner only; a withdrawn one cannot be accepted', async () => {
    const person = await people_.person('maybe')
    const side = await createDoc(app, owner, 'projects', { title: 'Side Quest', genre: 'drama' })
    for (const path of ['invitations', 'transfer']) {
      expect((await requestJson(v1(`/projects/${side.id}/${path}`), { method: 'POST', token: owner.token, body: { email: person.email } })).status).toBe(202)
    }
    const listed = await requestJson(v1(`/projects/${side.id}/invitations`), { token: owner.token })
    expect(listed.status).toBe(200)
    expect(listed.body.docs.map((doc: { kind: string; email: string }) => `${doc.kind} ${doc.email}`).sort()).toEqual([
      `collaborator ${person.email}`,
      `ownership ${person.email}`,
    ])
    expect(JSON.stringify(listed.body)).not.toMatch(/token/i)
    expect((await requestJson(v1(`/projects/${side.id}/invitations`), { token: attacker.token })).status).toBe(404)
    expect((await requestJson(v1(`/projects/${side.id}/invitations`), { token: person.token })).status).toBe(404)

    const transfer = listed.body.docs.find((doc: { kind: string }) => doc.kind === 'ownership')
    const mailedToken = invitationToken(transfer.id, app.outboxDir)
    expect((await requestJson(v1(`/projects/${side.id}/invitations/${transfer.id}`), { method: 'DELETE', token: attacker.token })).status).toBe(404)
    const withdrawn = await requestJson(v1(`/projects/${side.id}/invitations/${transfer.id}`), { method: 'DELETE', token: owner.token })
    expect([withdrawn.status, withdrawn.body]).toEqual([200, { status: 'withdrawn', id: transfer.id }])
    expect((await requestJson(v1(`/projects/${side.id}/invitations/${transfer.id}`), { method: 'DELETE', token: owner.token })).status).toBe(404)
    expect((await requestJson(v1(`/invitations/${transfer.id}/accept`), { method: 'POST', token: person.token, body: { token: mailedToken } })).status).toBe(404)
    expect(await ownerOf(side.id)).toBe(owner.id)
    const after = await requestJson(v1(`/projects/${side.id}/invitations`), { token: owner.token })
    expect(after.body.docs.map((doc: { kind: string }) => doc.kind)).toEqual(['collaborator'])
  })
})

describe('the event stream re-reads its principal', () => {
  const revoked = async (token: string, change: () => Promise<void>) => {
    const stream = await openSse(v1(`/projects/${project.id}/events`), { token })
    expect(stream.status, JSON.stringify(stream.body)).toBe(200)
    await change()
    const event = await stream.next(15_000)
    stream.close()
    return event.event
  }

  it('ends for a demoted admin, a removed member and after a password change', async () => {
    const email = `second-admin-${unique()}@example.test`
    expect((await requestJson(`${app.url}/api/users`, { method: 'POST', token: admin.token, body: { email, password: PASSWORD, role: 'admin' } })).status).toBe(201)
    const second = await login(email)
    expect(
      await revoked(second.body.token, async () => {
        expect((await requestJson(`${app.url}/api/users/${second.body.user.id}`, { method: 'PATCH', token: admin.token, body: { role: 'user' } })).status).toBe(200)
      }),
    ).toBe('revoked')

    expect(
      await revoked(invitee.token, async () => {
        expect((await requestJson(v1(`/projects/${project.id}/collaborators`), { method: 'DELETE', token: owner.token, body: { userId: invitee.id } })).status).toBe(200)
      }),
    ).toBe('revoked')

    expect(
      await revoked(owner.token, async () => {
        expect((await patchSelf(owner, { password: 'N3w-Passw0rd!secret', currentPassword: PASSWORD })).status).toBe(200)
      }),
    ).toBe('revoked')
  })
})

describe('request bodies never reach arguments they do not own', () => {
  it('answers 400 naming `actor` or `id` on cancel, complete, heartbeat, fail and invitations — never 500, never another id', async () => {
    const fresh = (await login(owner.email, 'N3w-Passw0rd!secret')).body.token as string
    const task = await requestJson(v1('/tasks'), { method: 'POST', token: fresh, body: { project: project.id, taskType: 'image_generation' } })
    expect(task.status, JSON.stringify(task.body)).toBe(201)
    const other = await requestJson(v1('/tasks'), { method: 'POST', token: fresh, body: { project: project.id, taskType: 'image_generation' } })
    const cases: [string, Record<string, unknown>][] = [
      [`/tasks/${task.body.id}/cancel`, { actor: { user: { role: 'admin' } } }],
      [`/tasks/${task.body.id}/cancel`, { id: other.body.id }],
      [`/tasks/${task.body.id}/complete`, { actor: 'x', workerId: 'w' }],
      [`/tasks/${task.body.id}/heartbeat`, { actor: null, workerId: 'w' }],
      [`/tasks/${task.body.id}/fail`, { id: other.body.id, workerId: 'w' }],
      [`/projects/${project.id}/invitations`, { actor: 'x', email: 'a@example.test' }],
      [`/projects/${project.id}/invitations`, { projectId: '0123456789abcdef01234567', email: 'a@example.test' }],
      [`/invitations/${task.body.id}/accept`, { actor: 'x', token: 't' }],
    ]
    for (const [path, body] of cases) {
      const answer = await requestJson(v1(path), { method: 'POST', token: fresh, body })
      expect([path, answer.status], JSON.stringify(answer.body)).toEqual([path, 400])
      expect(JSON.stringify(answer.body.error)).toMatch(/actor|"id"|projectId/)
    }
    const untouched = await requestJson(`${app.url}/api/tasks/${other.body.id}?depth=0`, { token: fresh })
    expect(untouched.body.status).toBe('queued')
  })
})

describe('API keys never act on the account', () => {
  it('refuses logout, refresh, writes and password reset with a key (403), and hides session ids from it', async () => {
    const apiKey = `key-${randomBytes(16).toString('hex')}`
    const email = `keyholder-${unique()}@example.test`
    const created = await requestJson(`${app.url}/api/users`, { method: 'POST', token: admin.token, body: { email, password: PASSWORD, enableAPIKey: true, apiKey } })
    expect(created.status).toBe(201)
    const person = await login(email)
    const asKey = { authorization: `users API-Key ${apiKey}` }

    const logout = await requestJson(`${app.url}/api/users/logout?allSessions=true`, { method: 'POST', headers: asKey })
    expect([logout.status, logout.body.errors?.[0]?.message ?? logout.body.error?.message]).toEqual([403, expect.stringMatching(/API keys/)])
    expect((await me(person.body.token)).body.user?.id).toBe(created.body.doc.id)

    const asMe = await requestJson(`${app.url}/api/users/me`, { headers: asKey })
    expect(asMe.body.user?.id).toBe(created.body.doc.id)
    expect(asMe.body.user.sessions ?? []).toEqual([])
    expect((await requestJson(`${app.url}/api/users/${created.body.doc.id}`, { headers: asKey })).body?.sessions ?? []).toEqual([])
    // The person themselves still sees their sessions, and none of their ids reached the key.
    const sessions = (await me(person.body.token)).body.user.sessions as { id: string }[]
    expect(sessions.length).toBeGreaterThan(0)
    for (const { id } of sessions) expect(JSON.stringify(asMe.body)).not.toContain(id)

    for (const [method, path, body] of [
      ['POST', '/api/users/refresh-token', undefined],
      ['PATCH', `/api/users/${created.body.doc.id}`, { name: 'renamed' }],
      ['PATCH', `/api/users/${created.body.doc.id}`, { email: `k-${unique()}@example.test`, currentPassword: PASSWORD }],
      ['PATCH', `/api/users/${created.body.doc.id}`, { password: 'An0ther-secret!', currentPassword: PASSWORD }],
      ['POST', '/api/users/forgot-password', { email }],
      ['DELETE', `/api/users/${created.body.doc.id}`, undefined],
    ] as const) {
      const answer = await requestJson(`${app.url}${path}`, { method, headers: asKey, body })
      expect([method, path, answer.status]).toEqual([method, path, 403])
    }
    const graphql = await requestJson(`${app.url}/api/graphql`, { method: 'POST', headers: asKey, body: { query: 'mutation { logoutUser }' } })
    expect(JSON.stringify(graphql.body.errors ?? [])).toMatch(/API keys/)
    expect((await me(person.body.token)).body.user?.id).toBe(created.body.doc.id)
  })
})
