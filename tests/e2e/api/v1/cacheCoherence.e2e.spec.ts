import { afterAll, beforeAll, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { requestJson } from '../../../helpers/http'
import { invitationToken } from '../../../helpers/mail'
import { createDoc, people, type Person, testRateLimits } from './session'

/**
 * Two instances of the app on one database and the machine's Redis, as behind a load balancer: a write through one
 * is seen by the other at once, although the other had the document cached. A third instance without Redis is the
 * control: it keeps serving its own cached copy, which shows the reads above really were cached.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
let a: RunningApp, b: RunningApp, alone: RunningApp
let owner: Person, collaborator: Person
let project: { id: string }

beforeAll(async () => {
  a = await startApp('cache_coherence', { REDIS_URL: redisUrl, RATE_LIMITS: testRateLimits })
  ;[b, alone] = await Promise.all([
    startApp('cache_coherence', { REDIS_URL: redisUrl, RATE_LIMITS: testRateLimits }, { databaseUrl: a.databaseUrl }),
    startApp('cache_coherence', { RATE_LIMITS: testRateLimits }, { databaseUrl: a.databaseUrl }),
  ])
  const users = await people(a)
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  project = await createDoc(a, owner, 'projects', { title: 'Version 0' })
  // Collaborators join only through an invitation they accept (issue 9): owners no longer add anyone by id.
  const invited = await requestJson(`${a.url}/api/v1/projects/${project.id}/invitations`, {
    method: 'POST',
    token: owner.token,
    body: { email: collaborator.email },
  })
  expect(invited.status).toBe(202)
  const pending = await requestJson(`${a.url}/api/v1/invitations`, { token: collaborator.token })
  const invitation = pending.body.docs.find((doc: { project: { id: string } }) => doc.project.id === project.id)
  const accepted = await requestJson(`${a.url}/api/v1/invitations/${invitation.id}/accept`, { method: 'POST', token: collaborator.token, body: { token: invitationToken(invitation.id, a.outboxDir) } })
  expect(accepted.status).toBe(200)
})
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), alone?.stop()])
})

const readTitle = async (app: RunningApp, person: Person) => {
  const response = await requestJson(`${app.url}/api/v1/projects/${project.id}`, { token: person.token })
  return response.status === 200 ? (response.body.title as string) : `HTTP ${response.status}`
}

it('a write on one instance is seen on the other at once', async () => {
  for (let version = 1; version <= 10; version++) {
    // Fill B's cache (twice: the second read is served from it).
    await readTitle(b, owner)
    expect(await readTitle(b, owner)).toBe(`Version ${version - 1}`)
    const written = await requestJson(`${a.url}/api/projects/${project.id}`, {
      method: 'PATCH',
      token: owner.token,
      body: { title: `Version ${version}` },
    })
    expect(written.status).toBe(200)
    expect(await readTitle(b, owner)).toBe(`Version ${version}`)
  }
})

it('a membership change on one instance takes effect on the other at once', async () => {
  expect(await readTitle(b, collaborator)).toBe('Version 10')
  expect(await readTitle(b, collaborator)).toBe('Version 10')
  const removed = await requestJson(`${a.url}/api/v1/projects/${project.id}/collaborators`, {
    method: 'DELETE',
    token: owner.token,
    body: { userId: collaborator.id },
  })
  expect(removed.status).toBe(200)
  expect(await readTitle(b, collaborator)).toBe('HTTP 404')
})

it('control: an instance without Redis keeps its own cached copy', async () => {
  expect(await readTitle(alone, owner)).toBe('Version 10')
  await requestJson(`${a.url}/api/projects/${project.id}`, { method: 'PATCH', token: owner.token, body: { title: 'Version 11' } })
  expect(await readTitle(b, owner)).toBe('Version 11')
  expect(await readTitle(alone, owner)).toBe('Version 10')
})
