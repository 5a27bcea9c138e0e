import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../../src/payload-types'

import { fixtures } from '../../../helpers/fixtures'
import { wavFile } from '../../../helpers/mediaFiles'
import { createTestPayload } from '../../../helpers/payload'

/**
 * Keyset paging of the v1 lists of tasks and media, through their route handlers with a producer's token: walking
 * every page by `nextCursor` returns each row exactly once while rows are being inserted, and a cursor that was
 * changed (or belongs to another list) is a 400 naming `cursor`.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User
let token: string
let adminToken: string
let projectId: string
const password = 'Passw0rd!secret'

beforeAll(async () => {
  delete process.env.S3_BUCKET
  ;({ payload, cleanup } = await createTestPayload('keyset-paging'))
  const f = fixtures(payload)
  const admin = await f.user({ password } as never) // the first user is the admin
  adminToken = (await payload.login({ collection: 'users', data: { email: admin.email, password } })).token!
  owner = (await f.user({ password, role: 'producer', subscription: { tier: 'enterprise' } } as never)) as User
  token = (await payload.login({ collection: 'users', data: { email: owner.email, password } })).token!
  projectId = (await f.project(owner.id)).id
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

type Route = { GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> }
type Page = { docs: { id: string; priority?: number; createdAt: string }[]; nextCursor: string | null; hasNextPage: boolean; page: number }

async function get(module: Promise<unknown>, path: string, params: Record<string, string> = {}, as = () => token) {
  const { GET } = (await module) as Route
  const response = await GET(new Request(`http://localhost${path}`, { headers: { authorization: `JWT ${as()}` } }), { params: Promise.resolve(params) })
  return { status: response.status, body: (await response.json()) as Page & { errors?: unknown; details?: { issues?: { path: string }[] } } }
}

const tasksRoute = import('../../../../src/app/api/v1/tasks/route')
const mediaRoute = import('../../../../src/app/api/v1/projects/[id]/media/route')
const listTasks = (query: string) => get(tasksRoute, `/api/v1/tasks?projectId=${projectId}&status=queued&${query}`)
const listMedia = (query: string) => get(mediaRoute, `/api/v1/projects/${projectId}/media?${query}`, { id: projectId })
const auditRoute = import('../../../../src/app/api/v1/audit-log/route')
const listAudit = (query: string) => get(auditRoute, `/api/v1/audit-log?${query}`, {}, () => adminToken)

const createTask = (priority: number) =>
  payload.create({ collection: 'tasks', data: { project: projectId, taskType: 'image_generation', priority } as never, user: owner, overrideAccess: false })
const uploadMedia = (name: string) =>
  payload.create({ collection: 'media', data: { mediaType: 'audio_clip', project: projectId } as never, file: wavFile({ name }), user: owner, overrideAccess: false })

/** Walks a list by cursor, running `meanwhile` alongside each page request; returns the ids in the order served. */
async function walk(list: (query: string) => ReturnType<typeof listTasks>, limit: number, meanwhile: () => Promise<unknown>) {
  const seen: Page['docs'] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 100; pages++) {
    const [{ status, body }]: [Awaited<ReturnType<typeof listTasks>>, unknown] = await Promise.all([list(`limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), meanwhile()])
    expect(status, JSON.stringify(body)).toBe(200)
    seen.push(...body.docs)
    expect(body.nextCursor === null).toBe(!body.hasNextPage)
    if (!body.nextCursor) return seen
    cursor = body.nextCursor
  }
  throw new Error('the walk did not end')
}

describe('keyset paging', () => {
  it('walks every task exactly once in queue order while tasks are enqueued', async () => {
    const before: { id: string | number }[] = []
    for (let n = 0; n < 23; n++) before.push(await createTask((n % 10) + 1))
    const inserted: string[] = []
    // New tasks of every priority land before and after the cursor as the walk goes.
    let round = 0
    const seen = await walk(listTasks, 4, async () => {
      const task = await createTask((round++ % 10) + 1)
      inserted.push(String(task.id))
    })
    const ids = seen.map((doc) => doc.id)
    expect(new Set(ids).size).toBe(ids.length) // nothing twice
    for (const task of before) expect(ids.filter((id) => id === String(task.id))).toHaveLength(1) // every existing row once
    expect(ids.every((id) => before.some((task) => String(task.id) === id) || inserted.includes(id))).toBe(true)
    // Served in queue order: priority descending, then oldest first.
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]]
      expect(a.priority! > b.priority! || (a.priority === b.priority && a.createdAt <= b.createdAt)).toBe(true)
    }
  }, 120_000)

  it('walks every medium exactly once, newest first, while files are uploaded', async () => {
    const before: { id: string | number }[] = []
    for (let n = 0; n < 7; n++) before.push(await uploadMedia(`walk-${n}.wav`))
    let round = 0
    const seen = await walk(listMedia, 2, () => uploadMedia(`meanwhile-${round++}.wav`))
    const ids = seen.map((doc) => doc.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const media of before) expect(ids.filter((id) => id === String(media.id))).toHaveLength(1)
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1].createdAt >= seen[i].createdAt).toBe(true)
  }, 120_000)

  it('walks every audit entry exactly once, newest first, while writes add entries; admins only', async () => {
    const before = (await payload.find({ collection: 'audit-log', limit: 0, pagination: false, depth: 0 })).docs.map((doc) => String(doc.id))
    expect(before.length).toBeGreaterThan(20)
    let round = 0
    const seen = await walk(listAudit, 7, () => createTask((round++ % 10) + 1)) // each create writes an entry
    const ids = seen.map((doc) => doc.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of before) expect(ids.filter((seenId) => seenId === id)).toHaveLength(1)
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1].createdAt >= seen[i].createdAt).toBe(true)
    expect((await get(auditRoute, '/api/v1/audit-log')).status).toBe(403) // the producer
  }, 120_000)

  it('keeps page numbers for the first pages, each page with its cursor', async () => {
    const first = await listTasks('limit=3')
    const second = await listTasks('limit=3&page=2')
    const byCursor = await listTasks(`limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`)
    expect(second.body.page).toBe(2)
    expect(byCursor.body.docs.map((doc) => doc.id)).toEqual(second.body.docs.map((doc) => doc.id))
  })

  it('refuses a changed cursor, or one of another list, with a 400 naming cursor', async () => {
    const { body } = await listTasks('limit=2')
    const [data, mac] = body.nextCursor!.split('.')
    const decoded = JSON.parse(Buffer.from(data, 'base64url').toString()) as { v: unknown[] }
    decoded.v[0] = 1 // skip ahead to the lowest priority
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`
    const mediaCursor = (await listMedia('limit=1')).body.nextCursor!
    for (const cursor of [forged, `${data}.${mac.slice(1)}x`, 'not-a-cursor', mediaCursor]) {
      const refused = await listTasks(`limit=2&cursor=${encodeURIComponent(cursor)}`)
      expect(refused.status, cursor).toBe(400)
      expect(JSON.stringify(refused.body)).toMatch(/"path":"cursor"/)
    }
  })
})
