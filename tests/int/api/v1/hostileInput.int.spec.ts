import type { Payload } from 'payload'

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../../src/payload-types'

import { pngFile } from '../../../helpers/files'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * Bad input at scale: for every collection (Payload's REST API) and every /api/v1 endpoint, at least 1,000 generated
 * invalid or hostile bodies and query strings (wrong types, unknown enum values, out-of-range numbers, foreign ids,
 * operator injection, oversized strings). Each must answer a JSON 4xx (never 5xx), leak nothing, and leave every
 * collection exactly as it was. The handlers run in-process: the same code `next start` serves, without sockets.
 */
const RUNS = Number(process.env.HOSTILE_RUNS || 1000)
// A thousand requests per test take minutes when the suite's other files share the two cores.
const LONG_TEST_MS = 900_000

let payload: Payload
let cleanup: () => Promise<void>
let owner: User, stranger: User
let ownerToken: string, strangerToken: string, adminToken: string
const ids: Record<string, string> = {}
/** Per collection: ids of the owner's documents, which the stranger must never receive. */
const ownerDocs: Record<string, Set<string>> = {}

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>
let rest: { GET: Handler; POST: Handler }

beforeAll(async () => {
  process.env.RATE_LIMITS = JSON.stringify(
    Object.fromEntries(['login', 'registration', 'passwordReset', 'graphql', 'search'].map((p) => [p, { ip: { points: 1e9 }, user: { points: 1e9 } }])),
  )
  ;({ payload, cleanup } = await createTestPayload('hostile'))
  const make = fixtures(payload)
  const password = 'Passw0rd!secret'
  const admin = (await make.user({ password })) as User
  owner = (await make.user({ password })) as User
  stranger = (await make.user({ password })) as User
  const login = async (user: User) => (await payload.login({ collection: 'users', data: { email: user.email, password } })).token!
  ;[adminToken, ownerToken, strangerToken] = [await login(admin), await login(owner), await login(stranger)]

  const project = await make.project(owner.id, { status: 'production' })
  const foreign = await make.project(stranger.id)
  const foreignEpisode = await make.episode(foreign.id, 1)
  const episode = await make.episode(project.id, 1)
  const character = await make.character(project.id)
  const scene = await make.scene(project.id, episode.id, 1)
  const task = await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation' } as never })
  const media = await payload.create({ collection: 'media', data: { project: project.id, mediaType: 'concept_art' } as never, file: await pngFile() })
  const session = await payload.create({ collection: 'sessions', data: { project: project.id, user: owner.id } as never })
  const template = await payload.create({ collection: 'prompt-templates', data: { name: 'T', template: 'Hello {{x}}', variableDefs: [{ name: 'x' }] } as never })
  const execution = await payload.create({
    collection: 'prompts-executed',
    data: { projectId: project.id, status: 'success', templateId: template.id } as never,
  })
  Object.assign(ids, { project: project.id, foreign: foreign.id, foreignEpisode: foreignEpisode.id, episode: episode.id, character: character.id, scene: scene.id, task: task.id })
  ownerDocs.projects = new Set([project.id])
  ownerDocs.episodes = new Set([episode.id])
  ownerDocs.characters = new Set([character.id])
  ownerDocs.scenes = new Set([scene.id])
  ownerDocs.tasks = new Set([task.id])
  ownerDocs.media = new Set([media.id])
  ownerDocs.sessions = new Set([session.id])
  ownerDocs['prompts-executed'] = new Set([execution.id])
  ownerDocs.users = new Set([owner.id, admin.id])
  ownerDocs['prompt-templates'] = new Set()

  const { default: config } = await import('@payload-config')
  const routes = await import('@payloadcms/next/routes')
  rest = { GET: routes.REST_GET(config) as Handler, POST: routes.REST_POST(config) as Handler }
}, 240_000)
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

/** Every document of every collection, as stored: compared before and after each property. */
async function snapshot(): Promise<string> {
  const collections = await payload.db.connection.db!.collections()
  const parts: string[] = []
  for (const collection of collections.sort((a, b) => a.collectionName.localeCompare(b.collectionName))) {
    if (collection.collectionName.startsWith('payload-') || collection.collectionName.startsWith('audit')) continue
    const docs = await collection.find({}).sort({ _id: 1 }).toArray()
    parts.push(`${collection.collectionName}:${JSON.stringify(docs)}`)
  }
  return parts.join('\n')
}

async function expectUnchanged(property: () => Promise<void>) {
  const before = await snapshot()
  await property()
  expect(await snapshot()).toBe(before)
}

const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 })
const operators = fc.constantFrom<unknown>(
  { $ne: null },
  { $gt: '' },
  { $where: 'sleep(100)' },
  { $regex: '.*' },
  { $in: [] },
  { $exists: true },
  { equals: 'x' },
)
const oversized = fc.integer({ min: 20_000, max: 200_000 }).map((n) => 'x'.repeat(n))
/** A value that is wrong for a select, number or relationship field. */
const wrongValue = fc.oneof(
  operators,
  fc.string({ maxLength: 30 }).filter((s) => !/^\d/.test(s)).map((s) => `not-${s}`),
  fc.constantFrom<unknown>(-1e12, 1e12, Number.MAX_SAFE_INTEGER, -5, [], [[1]], {}),
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
  oversized,
)
const anyValue = fc.oneof(wrongValue, fc.anything({ maxDepth: 2 }), hex24, fc.constant(null))

/**
 * Per collection: a valid body and the fields whose corruption must make it invalid (selects, bounded numbers,
 * relationships; not episode/scene numbers, which have no upper bound). Derived fields (recomputed by hooks) and admin-only fields (silently dropped for others,
 * such as a task's engine-owned progress) are not
 * among them: a wrong value there is discarded, not rejected. `as` is the principal who posts it.
 */
const bodies: Record<string, { as: 'owner' | 'admin'; valid: () => Record<string, unknown>; corruptible: string[] }> = {
  projects: { as: 'owner', valid: () => ({ title: 'P', genre: 'drama', episodeCount: 3 }), corruptible: ['genre', 'status', 'episodeCount', 'targetAudience', 'projectSettings.aspectRatio', 'projectSettings.qualityTier'] },
  episodes: { as: 'owner', valid: () => ({ project: ids.project, episodeNumber: 2, title: 'E' }), corruptible: ['project', 'status'] },
  scenes: { as: 'owner', valid: () => ({ project: ids.project, episode: ids.episode, sceneNumber: 2 }), corruptible: ['project', 'episode', 'timeOfDay', 'production.status'] },
  characters: { as: 'owner', valid: () => ({ project: ids.project, name: 'C' }), corruptible: ['project', 'visualDesign.finalDesign', 'voiceProfile.audioSample'] },
  media: { as: 'owner', valid: () => ({ project: ids.project, mediaType: 'concept_art' }), corruptible: ['project', 'mediaType', 'status'] },
  tasks: { as: 'owner', valid: () => ({ project: ids.project, taskType: 'image_generation' }), corruptible: ['project', 'taskType', 'status', 'priority'] },
  sessions: { as: 'owner', valid: () => ({ project: ids.project }), corruptible: ['project', 'sessionState'] },
  'prompt-templates': { as: 'admin', valid: () => ({ name: 'N', template: 'T' }), corruptible: ['model'] },
  'prompts-executed': { as: 'owner', valid: () => ({ projectId: ids.project, status: 'success' }), corruptible: ['status', 'templateId'] },
  users: { as: 'owner', valid: () => ({ email: `u${Math.random()}@example.test`, password: 'Passw0rd!secret' }), corruptible: ['email'] },
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.')
  let node = target
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[keys.at(-1)!] = value
}

/** A body that keeps the valid fields but corrupts 1–3 fields that must be rejected, plus optional junk keys. */
const hostileBody = (slug: string) =>
  fc
    .record({
      corrupt: fc.uniqueArray(fc.constantFrom(...bodies[slug].corruptible), { minLength: 1, maxLength: 3 }),
      values: fc.array(fc.oneof(wrongValue, fc.constant(`foreign:${slug}`)), { minLength: 3, maxLength: 3 }),
      junk: fc.dictionary(fc.constantFrom('$where', '__proto__', 'constructor', 'id', '_id', 'createdAt', 'extra'), anyValue, { maxKeys: 2 }),
    })
    .map(({ corrupt, values, junk }) => {
      const body: Record<string, unknown> = { ...junk, ...bodies[slug].valid() }
      corrupt.forEach((path, index) => {
        const value = values[index]
        // A foreign id: the stranger's project or episode, a well-formed id of nothing for media and templates.
        // (Not a missing episode: the scene consistency hook does not reject those yet, see the issue 6 report.)
        const foreign =
          path === 'project' || path === 'projectId' ? ids.foreign : path === 'episode' ? ids.foreignEpisode : '0123456789abcdef01234567'
        setPath(body, path, value === `foreign:${slug}` ? (/project|episode|Design|Sample|templateId/.test(path) ? foreign : 'foreign') : value)
      })
      return body
    })

const json = (response: Response) => response.text().then((text) => ({ status: response.status, text, body: JSON.parse(text) }))

describe.each(Object.keys(bodies))('REST /api/%s', (slug) => {
  it(`answers ${RUNS} hostile bodies with a JSON 4xx and stores nothing`, async () => {
    const token = bodies[slug].as === 'admin' ? adminToken : ownerToken
    await expectUnchanged(() =>
      fc.assert(
        fc.asyncProperty(hostileBody(slug), async (body) => {
          const response = await rest.POST(
            new Request(`http://localhost/api/${slug}`, {
              method: 'POST',
              headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }),
            { params: Promise.resolve({ slug: [slug] }) },
          )
          const { status, body: answer, text } = await json(response)
          expect(status, text.slice(0, 500)).toBeGreaterThanOrEqual(400)
          expect(status, text.slice(0, 500)).toBeLessThan(500)
          expect(answer.errors?.[0]?.message, text.slice(0, 300)).toEqual(expect.any(String))
        }),
        { numRuns: RUNS },
      ),
    )
  }, LONG_TEST_MS)

  it('answers a where operator given twice (an array where one value belongs) with a 4xx or a success, never 5xx', async () => {
    const fields = ['status', 'title', 'name', 'email', 'mediaType', 'createdAt', 'id', 'project']
    const ops = ['equals', 'not_equals', 'like', 'not_like', 'contains', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal', 'exists']
    for (const field of fields) {
      for (const op of ops) {
        const query = `where[${field}][${op}]=a&where[${field}][${op}]=b`
        const response = await rest.GET(new Request(`http://localhost/api/${slug}?${query}`, { headers: { authorization: `JWT ${strangerToken}` } }), { params: Promise.resolve({ slug: [slug] }) })
        expect(response.status, `${slug} ${query} → ${(await response.text()).slice(0, 200)}`).toBeLessThan(500)
      }
    }
    // One value that is an object stays one value: a Date, as the admin's document-lock query sends it.
    await expect(payload.find({ collection: slug as never, where: { updatedAt: { greater_than: new Date(0) } }, overrideAccess: false, user: owner })).resolves.toBeTruthy()
  }, LONG_TEST_MS)

  it(`answers ${RUNS} hostile query strings without 5xx and leaks nothing to a stranger`, async () => {
    const fields = ['id', '_id', 'project', 'createdBy', 'collaborators', 'status', 'user', 'email', 'hash', 'salt', 'apiKey', 'password', '$where', 'constructor', 'a.b.c']
    const ops = ['equals', 'not_equals', 'in', 'not_in', 'exists', 'like', 'contains', 'greater_than', 'near', 'all', '$ne', '$gt', '$where', '__proto__']
    const param = fc.oneof(
      fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...ops), fc.oneof(fc.string({ maxLength: 20 }), hex24, fc.constantFrom('null', 'true', '[]', '{"$ne":null}'))).map(
        ([field, op, value]) => [`where[${field}][${op}]`, value] as const,
      ),
      fc.tuple(fc.constantFrom('or', 'and'), fc.constantFrom(...fields), fc.constantFrom(...ops), hex24).map(
        ([logic, field, op, value]) => [`where[${logic}][0][${field}][${op}]`, value] as const,
      ),
      fc.tuple(fc.constantFrom('depth', 'limit', 'page', 'sort', 'select[hash]', 'populate', 'draft', 'locale', 'pagination', 'joins'), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-1', '0', '1e12', '99', 'NaN', '-hash', 'password', '$natural', 'false', 'true'))).map(
        ([key, value]) => [key, value] as const,
      ),
      fc.tuple(fc.string({ maxLength: 15 }), fc.string({ maxLength: 15 })).map(([key, value]) => [key, value] as const),
    )
    await expectUnchanged(() =>
      fc.assert(
        fc.asyncProperty(fc.array(param, { minLength: 1, maxLength: 4 }), async (params) => {
          const query = new URLSearchParams(params.map(([key, value]) => [key, value])).toString()
          const response = await rest.GET(
            new Request(`http://localhost/api/${slug}?${query}`, { headers: { authorization: `JWT ${strangerToken}` } }),
            { params: Promise.resolve({ slug: [slug] }) },
          )
          const { status, body, text } = await json(response)
          expect(status, `${query} → ${text.slice(0, 300)}`).toBeLessThan(500)
          if (status === 200) {
            const docs = (body.docs ?? []) as Record<string, unknown>[]
            for (const doc of docs) {
              expect(ownerDocs[slug].has(String(doc.id)), `${query} leaked ${slug} ${doc.id}`).toBe(false)
              for (const secret of ['hash', 'salt', 'apiKey', 'password', 'resetPasswordToken']) expect(doc).not.toHaveProperty(secret)
            }
            expect(docs.length).toBeLessThanOrEqual(100)
          } else {
            expect(body.errors?.[0]?.message ?? body.error?.message, text.slice(0, 300)).toEqual(expect.any(String))
          }
        }),
        { numRuns: RUNS },
      ),
    )
  }, LONG_TEST_MS)
})

type V1Route = { GET?: Handler; POST?: Handler; DELETE?: Handler }
const v1 = {
  projects: () => import('../../../../src/app/api/v1/projects/route') as unknown as Promise<V1Route>,
  project: () => import('../../../../src/app/api/v1/projects/[id]/route') as unknown as Promise<V1Route>,
  media: () => import('../../../../src/app/api/v1/projects/[id]/media/route') as unknown as Promise<V1Route>,
  overview: () => import('../../../../src/app/api/v1/projects/[id]/overview/route') as unknown as Promise<V1Route>,
  scenes: () => import('../../../../src/app/api/v1/episodes/[id]/scenes/route') as unknown as Promise<V1Route>,
  tasks: () => import('../../../../src/app/api/v1/tasks/route') as unknown as Promise<V1Route>,
  collaborators: () => import('../../../../src/app/api/v1/projects/[id]/collaborators/route') as unknown as Promise<V1Route>,
}

async function callV1(route: keyof typeof v1, method: 'GET' | 'POST' | 'DELETE', { id, query = '', body }: { id?: string; query?: string; body?: string }) {
  const handler = (await v1[route]())[method]!
  const response = await handler(
    new Request(`http://localhost/api/v1/x?${query}`, {
      method,
      headers: { authorization: `JWT ${ownerToken}`, 'content-type': 'application/json' },
      body,
    }),
    { params: Promise.resolve(id === undefined ? {} : { id }) },
  )
  return json(response)
}

const expectJsonError = ({ status, body, text }: { status: number; body: any; text: string }, label: string) => {
  expect(status, `${label} → ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400)
  expect(status, `${label} → ${text.slice(0, 300)}`).toBeLessThan(500)
  expect(body.error, label).toMatchObject({ status, code: expect.any(String), message: expect.any(String) })
}

/** Query parameters each GET endpoint accepts, with values that are always wrong for them. */
const knownParams: Record<string, string[]> = {
  projects: ['status', 'genre', 'role', 'page', 'limit'],
  project: [],
  media: ['mediaType', 'status', 'page', 'limit'],
  overview: [],
  scenes: ['status', 'page', 'limit'],
  tasks: ['status', 'projectId', 'taskType', 'page', 'limit'],
}
const badParamValue = fc.oneof(
  fc.constantFrom('0', '-1', '1e9', 'NaN', 'Infinity', '2.5', '', ' ', '{"$ne":null}', '[object Object]', 'production ', 'QUEUED'),
  fc.string({ maxLength: 10 }).map((s) => `zz${s}`),
  fc.integer({ min: 5000, max: 50_000 }).map((n) => 'a'.repeat(n)),
)
/** A query string with at least one invalid item: a bad value for a known key, an unknown key, or a repeated key. */
const hostileQuery = (route: string) =>
  fc
    .tuple(
      fc.oneof(
        ...(knownParams[route].length
          ? [
              fc
                .tuple(fc.constantFrom(...knownParams[route]), badParamValue)
                // One page-size rule on every API (docs/API.md): limit=0 or above 100 is a page of 100, not an error.
                .filter(([k, v]) => !(k === 'limit' && ['0', '1e9'].includes(v)))
                .map(([k, v]) => [[k, v]]),
            ]
          : []),
        fc.tuple(fc.constantFrom('where[status][$ne]', 'where[createdBy][exists]', '$where', '__proto__[x]', 'depth', 'select', 'userId[$ne]', 'sort'), fc.string({ maxLength: 10 })).map(([k, v]) => [[k, v]]),
        ...(knownParams[route].length ? [fc.constantFrom(...knownParams[route]).map((k) => [[k, '1'], [k, '2']])] : []),
      ),
      fc.array(fc.tuple(fc.constantFrom('page', 'limit'), fc.constantFrom('1', '2')), { maxLength: 1 }),
    )
    .map(([bad, extra]) => new URLSearchParams([...extra, ...bad] as [string, string][]).toString())

describe('/api/v1 endpoints', () => {
  it.each([
    ['projects', undefined],
    ['project', 'project'],
    ['media', 'project'],
    ['overview', 'project'],
    ['scenes', 'episode'],
    ['tasks', undefined],
  ] as const)(`GET %s answers ${RUNS} hostile query strings with a JSON 400`, async (route, idOf) => {
    await expectUnchanged(() =>
      fc.assert(
        fc.asyncProperty(hostileQuery(route), async (query) => {
          const answer = await callV1(route, 'GET', { id: idOf ? ids[idOf] : undefined, query })
          expectJsonError(answer, query.slice(0, 200))
          expect(answer.status).toBe(400)
          expect(answer.body.error.details.issues.length).toBeGreaterThan(0)
        }),
        { numRuns: RUNS },
      ),
    )
  }, LONG_TEST_MS)

  it(`GET by id answers ${RUNS} hostile or foreign ids with a JSON 400 or 404`, async () => {
    const hostileId = fc.oneof(
      fc.string({ maxLength: 40 }),
      hex24,
      fc.constantFrom(ids.foreign, '{"$ne":null}', '$where', '../../etc/passwd', '%00', 'null', 'undefined'),
      oversized,
    )
    await expectUnchanged(() =>
      fc.assert(
        fc.asyncProperty(hostileId, fc.constantFrom('project', 'media', 'overview', 'scenes', 'collaborators') as fc.Arbitrary<keyof typeof v1>, async (id, route) => {
          const method = route === 'collaborators' ? 'POST' : 'GET'
          const body = route === 'collaborators' ? JSON.stringify({ userId: stranger.id }) : undefined
          const answer = await callV1(route, method, { id, body })
          expectJsonError(answer, `${route} ${id.slice(0, 50)}`)
          expect([400, 404]).toContain(answer.status)
        }),
        { numRuns: RUNS },
      ),
    )
  }, LONG_TEST_MS)

  it.each(['POST', 'DELETE'] as const)(`%s collaborators answers ${RUNS} hostile bodies with a JSON 4xx and changes nothing`, async (method) => {
    const hostileCollaboratorBody = fc.oneof(
      anyValue.map((value) => JSON.stringify({ userId: value })).filter((text) => !/^\{"userId":"[0-9a-f]{24}"\}$/.test(text)),
      fc.anything({ maxDepth: 2 }).map((value) => JSON.stringify(value) ?? 'null').filter((text) => !text.includes('userId')),
      fc.tuple(hex24, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== 'userId'), anyValue, { minKeys: 1, maxKeys: 2 })).map(
        ([userId, extra]) => JSON.stringify({ ...extra, userId }),
      ),
      fc.string({ maxLength: 30 }).map((text) => `{"userId": ${text}`),
      oversized.map((text) => JSON.stringify({ userId: text })),
      fc.constantFrom(JSON.stringify({ userId: owner.id }), JSON.stringify({ userId: '0123456789abcdef01234567' })),
    )
    await expectUnchanged(() =>
      fc.assert(
        fc.asyncProperty(hostileCollaboratorBody, async (body) => {
          const answer = await callV1('collaborators', method, { id: ids.project, body })
          expectJsonError(answer, body.slice(0, 200))
        }),
        { numRuns: RUNS },
      ),
    )
  }, LONG_TEST_MS)
})
