import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { requestJson } from '../../../helpers/http'
import { invitationToken } from '../../../helpers/mail'
import { cosine, randomVector, seededRandom } from '../../../helpers/randomVectors'
import { createDoc, people, type Person, testRateLimits } from './session'

/**
 * GET /api/v1/search and POST /api/v1/media/similar over real HTTP, as non-admin users, on two instances of the
 * built app sharing one database and the Redis cache channel: scoping, validation, the `search` rate limit, and
 * a media write on one instance reaching the other's in-memory similarity rows.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const random = seededRandom(9)
let a: RunningApp, b: RunningApp
let owner: Person, collaborator: Person, stranger: Person, producer: Person, limited: Person, invitee: Person
let project: { id: string }, strangerProject: { id: string }
const ownerMedia: { id: string; embedding: number[] }[] = []
let inviteeProject: { id: string }
const inviteeMedia: string[] = []

async function uploadMedia(app: RunningApp, person: Person, data: Record<string, unknown>) {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#446688' } }).png().toBuffer()
  const form = new FormData()
  form.append('_payload', JSON.stringify(data))
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'frame.png')
  const response = await fetch(`${app.url}/api/media`, { method: 'POST', body: form, headers: { authorization: `JWT ${person.token}` } })
  const body = (await response.json()) as { doc: { id: string } }
  expect(response.status, JSON.stringify(body)).toBe(201)
  return body.doc
}

beforeAll(async () => {
  a = await startApp('search_http', { REDIS_URL: redisUrl, RATE_LIMITS: testRateLimits })
  const limits = JSON.parse(testRateLimits)
  limits.search.user.points = 3
  b = await startApp('search_http', { REDIS_URL: redisUrl, RATE_LIMITS: JSON.stringify(limits) }, { databaseUrl: a.databaseUrl })
  const users = await people(a)
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  stranger = await users.person('stranger')
  producer = await users.person('producer')
  limited = await users.person('limited')
  const promoted = await requestJson(`${a.url}/api/users/${producer.id}`, { method: 'PATCH', token: users.admin.token, body: { role: 'producer' } })
  expect(promoted.status, JSON.stringify(promoted.body)).toBe(200)

  project = await createDoc(a, owner, 'projects', { title: 'Lighthouse at the end' })
  // Members join through invitations since the merge (an owner's collaborators list is dropped); an admin adds one.
  const joined = await requestJson(`${a.url}/api/projects/${project.id}`, { method: 'PATCH', token: users.admin.token, body: { collaborators: [collaborator.id] } })
  expect(joined.status, JSON.stringify(joined.body)).toBe(200)
  await createDoc(a, owner, 'characters', { project: project.id, name: 'Mara', description: 'Keeper of the lighthouse' })
  strangerProject = await createDoc(a, stranger, 'projects', { title: 'Lighthouse of strangers', episodeCount: 20 })
  for (let n = 1; n <= 6; n++) await createDoc(a, stranger, 'episodes', { project: strangerProject.id, episodeNumber: n, title: `Lighthouse ${n}` })
  for (let n = 0; n < 4; n++) {
    const embedding = randomVector(random, 1024)
    ownerMedia.push({ id: (await uploadMedia(a, owner, { project: project.id, mediaType: 'concept_art', embedding })).id, embedding })
  }
  // Invited into the owner's project and not yet accepted; with a project and two media of their own.
  invitee = await users.person('invitee')
  const invited = await requestJson(`${a.url}/api/v1/projects/${project.id}/invitations`, { method: 'POST', token: owner.token, body: { email: invitee.email } })
  expect(invited.status, JSON.stringify(invited.body)).toBe(202)
  inviteeProject = await createDoc(a, invitee, 'projects', { title: 'A lighthouse of my own' })
  for (let n = 0; n < 2; n++) {
    inviteeMedia.push((await uploadMedia(a, invitee, { project: inviteeProject.id, mediaType: 'concept_art', embedding: randomVector(random, 1024) })).id)
  }
}, 600_000)
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
})

const search = (app: RunningApp, person: Person | undefined, query: string) =>
  requestJson(`${app.url}/api/v1/search?${query}`, { token: person?.token })
const similar = (app: RunningApp, person: Person, body: unknown) =>
  requestJson(`${app.url}/api/v1/media/similar`, { method: 'POST', token: person.token, body })

describe('GET /api/v1/search', () => {
  it('answers each person with hits from their own projects only, in full pages', async () => {
    const mine = await search(a, owner, 'q=lighthouse&limit=1')
    expect(mine.status, JSON.stringify(mine.body)).toBe(200)
    expect(mine.body).toMatchObject({ totalDocs: 2, totalPages: 2, hasNextPage: true, ranking: 'scan' })
    expect(mine.body.docs).toEqual([expect.objectContaining({ type: 'projects', id: project.id, snippet: '<mark>Lighthouse</mark> at the end' })])
    const second = await search(a, collaborator, 'q=lighthouse&limit=1&page=2')
    expect(second.body.docs).toEqual([expect.objectContaining({ type: 'characters', project: project.id })])
    const theirs = await search(a, stranger, 'q=lighthouse&limit=100')
    expect(theirs.body.totalDocs).toBe(7)
    expect(theirs.body.docs.every((hit: { project: string }) => hit.project === strangerProject.id)).toBe(true)
    expect((await search(a, producer, 'q=lighthouse')).body).toMatchObject({ docs: [], totalDocs: 0 })
  })

  it('answers 401 without credentials and 400 naming the bad parameter', async () => {
    expect((await search(a, undefined, 'q=lighthouse')).status).toBe(401)
    const bad = await search(a, owner, 'q=lighthouse&types=projects,users')
    expect(bad.status).toBe(400)
    expect(bad.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(['types'])
    expect((await search(a, owner, 'q=')).body.error.details.issues[0].path).toBe('q')
  })

  it('spends the search rate-limit budget (3 per user on instance B)', async () => {
    const statuses = []
    for (let n = 0; n < 4; n++) statuses.push((await search(b, limited, 'q=lighthouse')).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const refused = await similar(b, limited, { vector: randomVector(random, 1024) })
    expect(refused.status).toBe(429)
  })
})

describe('POST /api/v1/media/similar', () => {
  it('ranks the caller’s media by cosine, never a stranger’s closer ones, and validates the request', async () => {
    const query = randomVector(random, 1024)
    await uploadMedia(a, stranger, { project: strangerProject.id, mediaType: 'concept_art', embedding: query })
    const result = await similar(a, owner, { vector: query, limit: 10 })
    expect(result.status, JSON.stringify(result.body)).toBe(200)
    const expected = [...ownerMedia].sort((x, y) => cosine(y.embedding, query) - cosine(x.embedding, query)).map((media) => media.id)
    expect(result.body.docs.map((doc: { id: string }) => doc.id)).toEqual(expected)
    expect(result.body.strategy).toBe('exact')

    const wrongLength = await similar(a, owner, { vector: randomVector(random, 512) })
    expect(wrongLength.status).toBe(400)
    expect(wrongLength.body.error.details.issues).toEqual([{ path: 'vector', message: expect.stringContaining('1024') }])
    // The API's one page-size rule: a limit over 100 answers the 100 best and says so; a negative one is a 400.
    const clamped = await similar(a, owner, { vector: query, limit: 101 })
    expect(clamped.status).toBe(200)
    expect(clamped.body.limit).toBe(100)
    expect(clamped.body.docs.map((doc: { id: string }) => doc.id)).toEqual(expected)
    const negative = await similar(a, owner, { vector: query, limit: -1 })
    expect(negative.status).toBe(400)
    expect(negative.body.error.details.issues[0].path).toBe('limit')
    expect((await similar(a, stranger, { mediaId: ownerMedia[0].id })).status).toBe(404)
    const badWrite = await requestJson(`${a.url}/api/media/${ownerMedia[0].id}`, {
      method: 'PATCH',
      token: owner.token,
      body: { embedding: randomVector(random, 512) },
    })
    expect(badWrite.status).toBe(400)
    expect(JSON.stringify(badWrite.body)).toContain('"path":"embedding"')
  })

  it('sees a media update and delete made on the other instance', async () => {
    const query = randomVector(random, 1024)
    const before = await similar(a, owner, { vector: query, limit: 1 })
    const target = ownerMedia.find((media) => media.id !== before.body.docs[0].id)!
    const updated = await requestJson(`${b.url}/api/media/${target.id}`, { method: 'PATCH', token: owner.token, body: { embedding: query } })
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    await expect
      .poll(async () => (await similar(a, collaborator, { vector: query, limit: 1 })).body.docs[0]?.id, { timeout: 10_000 })
      .toBe(target.id)
    expect((await similar(a, owner, { mediaId: target.id, limit: 10 })).body.docs.map((doc: { id: string }) => doc.id)).not.toContain(target.id)

    expect((await requestJson(`${b.url}/api/media/${target.id}`, { method: 'DELETE', token: owner.token })).status).toBe(200)
    await expect
      .poll(async () => (await similar(a, owner, { vector: query, limit: 10 })).body.docs.map((doc: { id: string }) => doc.id), { timeout: 10_000 })
      .not.toContain(target.id)
  })
})

describe('a pending invitee', () => {
  it('finds neither the invited project’s documents nor its media until they accept, and their pages stay full', async () => {
    const page = await search(a, invitee, 'q=lighthouse&limit=1')
    expect(page.status, JSON.stringify(page.body)).toBe(200)
    expect(page.body).toMatchObject({ totalDocs: 1, hasNextPage: false })
    expect(page.body.docs.map((hit: { id: string }) => hit.id)).toEqual([inviteeProject.id])
    expect((await search(a, invitee, `q=lighthouse&project=${project.id}`)).body.totalDocs).toBe(0)
    // A media of the invited project holding the query itself: the best hit, if it leaked.
    const probe = randomVector(random, 1024)
    const probeMedia = await uploadMedia(a, owner, { project: project.id, mediaType: 'concept_art', embedding: probe })
    const best = await similar(a, invitee, { vector: probe, limit: 1 })
    expect(best.body.docs.map((doc: { id: string }) => doc.id)).toHaveLength(1)
    expect(inviteeMedia).toContain(best.body.docs[0].id)
    const all = await similar(a, invitee, { vector: probe, limit: 100 })
    expect(all.body.docs.map((doc: { id: string }) => doc.id).sort()).toEqual([...inviteeMedia].sort())

    const mine = await requestJson(`${a.url}/api/v1/invitations`, { token: invitee.token })
    const invitation = mine.body.docs.find((doc: { project: { id: string } }) => doc.project.id === project.id)
    const accepted = await requestJson(`${a.url}/api/v1/invitations/${invitation.id}/accept`, { method: 'POST', token: invitee.token, body: { token: invitationToken(invitation.id, a.outboxDir) } })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    // Accepting is what lets the project in.
    await expect
      .poll(async () => (await similar(a, invitee, { vector: probe, limit: 1 })).body.docs[0]?.id, { timeout: 10_000 })
      .toBe(probeMedia.id)
    expect((await search(a, invitee, `q=lighthouse&project=${project.id}`)).body.totalDocs).toBeGreaterThan(0)
  })
})
