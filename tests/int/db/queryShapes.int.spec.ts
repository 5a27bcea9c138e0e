import type { Payload } from 'payload'

import type { CommandStartedEvent } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { commandShape } from '../../../src/db/commandShape'
import { engineOfDb } from '../../../src/db/engine'
import { compareWithPlan, indexPlan } from '../../../src/ops/indexPlan'
import { archiveTasks, finishedBefore } from '../../../src/queue/taskArchive'
import { wavFile } from '../../helpers/mediaFiles'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'
import { loggedQueries, queryOf } from '../../helpers/queryShapeLog'

/**
 * Shard readiness, from the driver's command monitoring: a full scenario (a producer's project with episodes,
 * scenes, characters, media and tasks, a worker claiming and finishing tasks, a session with messages, the lists
 * of the v1 API) is recorded, and every query on a collection sharded by project must name the project, so that it
 * goes to one shard — unless it is one of the documented scatter-gathers below.
 */
const sharded = new Set(['episodes', 'characters', 'scenes', 'media', 'sessions', 'tasks'])
/** True when every document the filter can match has one known project (or a known set of them). */
function namesProject(filter: unknown): boolean {
  if (!filter || typeof filter !== 'object') return false
  const f = filter as Record<string, unknown>
  const project = f.project
  if (project !== undefined) {
    const ops = project && typeof project === 'object' && !('_bsontype' in project) ? Object.keys(project) : []
    if (ops.length === 0 || ops.every((op) => op === '$eq' || op === '$in')) return true
  }
  if (Array.isArray(f.$and) && f.$and.some(namesProject)) return true
  if (Array.isArray(f.$or) && f.$or.length > 0 && f.$or.every(namesProject)) return true
  return false
}

type Recorded = { collection: string; command: string; filterKeys: string[]; sortKeys: string[]; targeted: boolean; filter: unknown; sort: [string, number][] }
let payload: Payload
let cleanup: () => Promise<void>
const recorded: Recorded[] = []

beforeAll(async () => {
  delete process.env.S3_BUCKET
  ;({ payload, cleanup } = await createTestPayload('query-shapes', { monitorCommands: true }))
  payload.db.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
    const query = queryOf(event)
    if (!query) return
    const shape = commandShape(event.commandName, event.command as Record<string, unknown>)
    recorded.push({ ...shape, targeted: namesProject(query.filter), filter: query.filter, sort: query.sort })
  })
})
afterAll(async () => cleanup?.())

type Route = Record<string, (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>>

/** Calls a v1 route handler in this process (so its commands are recorded), as the given caller. */
async function call(module: Promise<unknown>, method: string, path: string, auth: string, { params = {}, body }: { params?: Record<string, string>; body?: unknown } = {}) {
  const handler = ((await module) as Route)[method]
  const response = await handler(
    new Request(`http://localhost${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  )
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300)
  return response.status === 204 ? null : response.json()
}

const v1 = {
  projectMedia: import('../../../src/app/api/v1/projects/[id]/media/route'),
  overview: import('../../../src/app/api/v1/projects/[id]/overview/route'),
  project: import('../../../src/app/api/v1/projects/[id]/route'),
  scenes: import('../../../src/app/api/v1/episodes/[id]/scenes/route'),
  tasks: import('../../../src/app/api/v1/tasks/route'),
  claim: import('../../../src/app/api/v1/tasks/claim/route'),
  heartbeat: import('../../../src/app/api/v1/tasks/[id]/heartbeat/route'),
  complete: import('../../../src/app/api/v1/tasks/[id]/complete/route'),
  sessions: import('../../../src/app/api/v1/sessions/route'),
  session: import('../../../src/app/api/v1/sessions/[id]/route'),
  messages: import('../../../src/app/api/v1/sessions/[id]/messages/route'),
  promptExecutions: import('../../../src/app/api/v1/projects/[id]/prompt-executions/route'),
  sceneOrder: import('../../../src/app/api/v1/episodes/[id]/scenes/order/route'),
  cancel: import('../../../src/app/api/v1/tasks/[id]/cancel/route'),
}

/** The scenario: what a producer, a collaborator and a worker do in a day. */
async function runScenario() {
  const f = fixtures(payload)
  await f.user() // the first user is the admin
  const password = 'Passw0rd!secret'
  const owner = await f.user({ password, role: 'producer', subscription: { tier: 'enterprise' } } as never)
  const collaborator = await f.user()
  const apiKey = `key-${'q'.repeat(24)}`
  await f.user({ enableAPIKey: true, apiKey } as never)
  const token = (await payload.login({ collection: 'users', data: { email: owner.email, password } })).token!
  const asOwner = `JWT ${token}`
  const asWorker = `users API-Key ${apiKey}`
  const user = owner as never
  const local = { user, overrideAccess: false } as const

  const project = await payload.create({ collection: 'projects', data: { title: 'Shard test', episodeCount: 5, genre: 'drama', collaborators: [collaborator.id] } as never, ...local })
  const episodes = []
  for (let n = 0; n < 2; n++) episodes.push(await payload.create({ collection: 'episodes', data: { project: project.id, title: `Episode ${n + 1}` } as never, ...local }))
  const character = await payload.create({ collection: 'characters', data: { project: project.id, name: 'Ada' } as never, ...local })
  const scenes = []
  for (let n = 0; n < 3; n++) {
    scenes.push(
      await payload.create({
        collection: 'scenes',
        data: { episode: episodes[0].id, characters: [character.id], script: { dialogue: [{ character: character.id, lines: 'Hello', timing: 3 }] } } as never,
        ...local,
      }),
    )
  }
  await payload.update({ collection: 'scenes', id: scenes[0].id, data: { production: { status: 'generating' } } as never, ...local })
  const media = await payload.create({ collection: 'media', data: { mediaType: 'audio_clip', project: project.id, episode: episodes[0].id } as never, file: wavFile(), ...local })
  await payload.update({ collection: 'media', id: media.id, data: { alt: 'Take one' } as never, ...local })
  const tasks = []
  for (let n = 0; n < 3; n++) {
    tasks.push(await call(v1.tasks, 'POST', '/api/v1/tasks', asOwner, { body: { project: project.id, episode: episodes[0].id, taskType: 'image_generation', priority: n + 1 } }))
  }

  // The worker claims across projects, reports progress and finishes.
  const claimed = await call(v1.claim, 'POST', '/api/v1/tasks/claim', asWorker, { body: { workerId: 'worker-1' } })
  await call(v1.heartbeat, 'POST', `/api/v1/tasks/${claimed.id}/heartbeat`, asWorker, { params: { id: claimed.id }, body: { workerId: 'worker-1', attempt: claimed.attempt, progress: { percentage: 50 } } })
  await call(v1.complete, 'POST', `/api/v1/tasks/${claimed.id}/complete`, asWorker, { params: { id: claimed.id }, body: { workerId: 'worker-1', attempt: claimed.attempt, output: { mediaId: media.id } } })

  // A session with messages.
  const session = await call(v1.sessions, 'POST', '/api/v1/sessions', asOwner, { body: { project: project.id } })
  for (const content of ['Write episode 3', 'A twist, please']) {
    await call(v1.messages, 'POST', `/api/v1/sessions/${session.id}/messages`, asOwner, { params: { id: session.id }, body: { role: 'user', content } })
  }
  await call(v1.messages, 'GET', `/api/v1/sessions/${session.id}/messages?limit=1`, asOwner, { params: { id: session.id } })
  await call(v1.session, 'GET', `/api/v1/sessions/${session.id}`, asOwner, { params: { id: session.id } })

  // The lists.
  const tasksPage = await call(v1.tasks, 'GET', `/api/v1/tasks?projectId=${project.id}&status=queued&limit=1`, asOwner)
  await call(v1.tasks, 'GET', `/api/v1/tasks?projectId=${project.id}&status=queued&limit=1&cursor=${encodeURIComponent(tasksPage.nextCursor)}`, asOwner)
  await payload.create({ collection: 'media', data: { mediaType: 'audio_clip', project: project.id } as never, file: wavFile({ name: 'second.wav' }), ...local })
  const mediaPage = await call(v1.projectMedia, 'GET', `/api/v1/projects/${project.id}/media?limit=1`, asOwner, { params: { id: project.id } })
  await call(v1.projectMedia, 'GET', `/api/v1/projects/${project.id}/media?limit=1&cursor=${encodeURIComponent(mediaPage.nextCursor)}`, asOwner, {
    params: { id: project.id },
  })
  await call(v1.scenes, 'GET', `/api/v1/episodes/${episodes[0].id}/scenes`, asOwner, { params: { id: String(episodes[0].id) } })
  await call(v1.overview, 'GET', `/api/v1/projects/${project.id}/overview`, asOwner, { params: { id: String(project.id) } })
  await call(v1.project, 'GET', `/api/v1/projects/${project.id}`, asOwner, { params: { id: String(project.id) } })
  await call(v1.promptExecutions, 'GET', `/api/v1/projects/${project.id}/prompt-executions?status=success`, asOwner, { params: { id: String(project.id) } })

  // Scene order, a task cancelled, a dependency.
  await call(v1.sceneOrder, 'POST', `/api/v1/episodes/${episodes[0].id}/scenes/order`, asOwner, {
    params: { id: String(episodes[0].id) },
    body: { sceneIds: [scenes[2].id, scenes[0].id, scenes[1].id] },
  })
  const dependant = await call(v1.tasks, 'POST', '/api/v1/tasks', asOwner, {
    body: { project: project.id, taskType: 'image_generation', input: { dependencies: [tasks[0].id] } },
  })
  await call(v1.cancel, 'POST', `/api/v1/tasks/${dependant.id}/cancel`, asOwner, { params: { id: dependant.id }, body: { reason: 'not needed' } })

  // The deletion policy refuses while children point at a document (each count names the project).
  await expect(payload.delete({ collection: 'episodes', id: episodes[0].id, ...local })).rejects.toThrow(/still has/)
  await expect(payload.delete({ collection: 'projects', id: project.id, ...local })).rejects.toThrow(/still has/)
  // Maintenance: the retention archive of finished tasks (npm run tasks:archive), one task a batch.
  const archived = await archiveTasks({ db: payload.db.connection.db!, filter: finishedBefore(new Date(Date.now() + 60_000)), reason: 'retention', batchSize: 1 })
  expect(archived.archived).toBeGreaterThan(0)
}

/** A filter that picks documents by id (at its top or inside an $and). */
function byId(filter: unknown): boolean {
  if (!filter || typeof filter !== 'object') return false
  const f = filter as Record<string, unknown>
  if (f._id !== undefined) {
    const id = f._id as Record<string, unknown>
    return typeof id !== 'object' || '_bsontype' in id || Object.keys(id).every((op) => op === '$eq' || op === '$in')
  }
  return Array.isArray(f.$and) && f.$and.some(byId)
}

/**
 * The documented scatter-gathers: queries that cannot name a project, each with the reason. On a cluster sharded
 * by { project: 1, _id: 1 } (or { project: 1 }) MongoDB sends them to every shard; each shard answers from an index
 * (_id, filename, status + priority), so they cost one index probe per shard.
 */
const scatterGather: { why: string; matches: (shape: Recorded, filter: unknown) => boolean }[] = [
  {
    why: "by id: Payload's own findByID / update / delete by id and relationship validation, and the queue's lease-guarded writes by id — the id is known, its project is not part of Payload's call",
    matches: (_shape, filter) => byId(filter),
  },
  {
    why: "Payload's upload name-taken check (and the stale filename claim check): stored files share one folder / bucket across projects",
    matches: (shape) => shape.collection === 'media' && shape.filterKeys.join() === 'filename.$eq',
  },
  {
    why: 'the retention archive (npm run tasks:archive): finished tasks of every project, in _id order below the cutoff, and the open tasks that depend on a batch',
    matches: (shape) =>
      shape.collection === 'tasks' &&
      (shape.filterKeys.some((key) => key.endsWith('$or.completedAt.$lt')) || shape.filterKeys.includes('input.dependencies.$in')),
  },
  {
    why: "the embedded engine's start-up size check (src/db/embeddedSizeWarning.ts, FerretDB only, so never on a sharded cluster): one metadata count (estimatedDocumentCount) per collection",
    matches: (shape) => shape.command === 'count' && shape.filterKeys.length === 0,
  },
  {
    why: 'the worker claim and lease expiry: workers serve every project, so the queue is read across projects by status, lease and priority',
    matches: (shape) => shape.collection === 'tasks' && shape.filterKeys.includes('status') && shape.filterKeys.some((key) => key.startsWith('$or.lease.')),
  },
]

describe('the query shapes of a full scenario', () => {
  it('name the project on every sharded collection, but for the documented scatter-gathers', async () => {
    await runScenario()
    expect(recorded.length).toBeGreaterThan(50)
    const untargeted = new Map<string, Recorded>()
    for (const shape of recorded.filter((r) => sharded.has(r.collection) && !r.targeted)) {
      const allowed = scatterGather.some((entry) => entry.matches(shape, shape.filter))
      if (!allowed) untargeted.set(`${shape.collection} ${shape.command} {${shape.filterKeys.join(', ')}} sort {${shape.sortKeys.join(', ')}}`, shape)
    }
    expect([...untargeted.keys()]).toEqual([])
  }, 300_000)

  it('each have an index whose prefix serves the filter and the sort, as the MongoDB planner uses one (no in-memory sort)', () => {
    // every collection the scenario touched is in the plan
    const plan = planOf(payload)
    expect([...new Set(recorded.map((shape) => shape.collection))].filter((collection) => !plan.some((index) => index.collection === collection))).toEqual([])
    expect(unservedShapes(plan, recorded)).toEqual([])
  })

  it('leaves the database exactly on the plan: the indexes the raw collections\' owners build are the planned ones', async () => {
    const db = payload.db.connection.db!
    const { rows } = await compareWithPlan({
      plan: indexPlan(payload.config),
      collections: (await db.listCollections().toArray()).map((collection) => collection.name),
      listIndexes: async (name) => (await db.collection(name).listIndexes().toArray()) as never,
      engine: await engineOfDb(db),
    })
    expect(rows.filter((row) => row.state === 'missing' || row.state === 'unexpected')).toEqual([])
    // the scenario used them
    expect(rows.filter((row) => ['session-messages', 'scene-order-locks', 'number-reservations', 'tasks_archive'].includes(row.collection)).length).toBeGreaterThan(5)
  })

  // With QUERY_SHAPES_LOG=<file>, a suite run (`QUERY_SHAPES_LOG=/tmp/shapes.ndjson npm test`) logs every query the
  // services and the engine sent from the integration tests' Payloads; this file, run after it, checks them all.
  it.skipIf(loggedQueries().length === 0)('and so does every query the suite logged (QUERY_SHAPES_LOG)', () => {
    const plan = planOf(payload)
    // An admin's unfiltered list of a whole sharded collection (REST / the admin without a where) is a scatter-gather
    // with a top-k sort by design: the app's own reads of these collections always name a project.
    const isWholeShardedList = (query: { collection: string; filter: unknown }) => sharded.has(query.collection) && isEmpty(query.filter)
    const logged = loggedQueries().filter((query) => plan.some((index) => index.collection === query.collection) && !isWholeShardedList(query))
    expect(unservedShapes(plan, logged)).toEqual([])
  })
})

/**
 * The full plan (src/ops/indexPlan.ts): Payload's declared indexes, the app's read and relationship indexes, the
 * task engine's and the raw collections'. Text indexes answer $text only, which FerretDB never receives.
 */
function planOf(payload: Payload) {
  return indexPlan(payload.config)
    .filter((index) => !Object.values(index.key).includes('text'))
    .map((index) => ({ collection: index.collection, unique: index.unique, key: Object.entries(index.key).map(([field, direction]) => [field, Number(direction)] as [string, number]) }))
}

/** The shapes no planned index serves, described. */
function unservedShapes(plan: ReturnType<typeof planOf>, shapes: { collection: string; command: string; filter: unknown; sort: [string, number][] }[]): string[] {
  const unserved = new Set<string>()
  for (const shape of shapes) {
    // A collection count (no filter, no sort) is answered from the collection's metadata.
    if (isEmpty(shape.filter) && shape.sort.length === 0) continue
    const indexes = plan.filter((index) => index.collection === shape.collection)
    if (!isServed(indexes, shape.filter, shape.sort)) unserved.add(`${shape.collection} ${shape.command} ${describeFilter(shape.filter)} sort ${JSON.stringify(shape.sort)}`)
  }
  return [...unserved]
}

const isEmpty = (filter: unknown) => !filter || (typeof filter === 'object' && Object.keys(filter).length === 0)

/** A filter's shape for a failure message: fields with their kind of bound. */
function describeFilter(filter: unknown): string {
  const { bounds, or } = boundsOf(filter)
  const own = [...bounds.entries()].map(([field, bound]) => `${field}:${bound}`).join(', ')
  return `{${own}${or.length > 0 ? `${own ? ', ' : ''}$or: [${or.map((branches) => (branches as unknown[]).map(describeFilter).join(' | ')).join('; ')}]` : ''}}`
}

type Bound = 'point' | 'range' | 'none'

/**
 * The bounds a filter puts on each field, as MongoDB's planner builds index bounds from it: an equality, $eq or $in
 * (a set of points, "exploded" into merged point scans for a sort) is a point; $gt/$gte/$lt/$lte is a range; $ne,
 * $nin, $not, $exists, $regex (unanchored, as Payload's `like` sends) and $elemMatch give no usable bound. Fields of an
 * $and join the top level; an $or is returned whole (its branches are planned one by one).
 */
function boundsOf(filter: unknown): { bounds: Map<string, Bound>; or: unknown[] } {
  const bounds = new Map<string, Bound>()
  const or: unknown[] = []
  if (!filter || typeof filter !== 'object') return { bounds, or }
  const tighter = (field: string, bound: Bound) => {
    const order: Bound[] = ['none', 'range', 'point']
    const current = bounds.get(field) ?? 'none'
    bounds.set(field, order.indexOf(bound) > order.indexOf(current) ? bound : current)
  }
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const branch of value) {
        const inner = boundsOf(branch)
        for (const [field, bound] of inner.bounds) tighter(field, bound)
        or.push(...inner.or)
      }
    } else if (key === '$or' && Array.isArray(value)) {
      or.push(value)
    } else if (!key.startsWith('$')) {
      tighter(key, boundOf(value))
    }
  }
  return { bounds, or }
}

function boundOf(value: unknown): Bound {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp || '_bsontype' in value) {
    return value instanceof RegExp ? 'none' : 'point'
  }
  if (Array.isArray(value)) return 'point'
  const operators = Object.keys(value)
  if (operators.length === 0 || !operators.every((op) => op.startsWith('$'))) return 'point' // a whole sub-document
  if (operators.some((op) => op === '$eq' || op === '$in')) return 'point'
  if (operators.some((op) => ['$gt', '$gte', '$lt', '$lte'].includes(op))) return 'range'
  return 'none'
}

type PlanIndex = { key: [string, number][]; unique: boolean }

/**
 * Served when some index gives the filter bounds and the sort: MongoDB's planner (for a conjunction) considers an
 * index only when its leading field is bounded, and it provides the sort without a blocking SORT stage when the sort
 * keys — leaving out the ones the filter fixes to a point — follow the index keys in order, in the index's directions
 * or all reversed, once the index keys fixed to a point are left out (MongoDB's "provided sort" with equality
 * fields ignored; an $in on such a key is exploded into point scans and merged). A range key before the sort keys
 * breaks the order. An $or is planned branch by branch (each branch joined with the rest of the filter must be
 * served), unless the rest alone is. With nothing bounded, an index whose keys start with the sort serves it (a full
 * index scan in order). This is the prefix rule, not the planner's cost model: among several serving indexes MongoDB
 * picks by a trial run, and any of them avoids the collection scan and the in-memory sort.
 */
function isServed(indexes: PlanIndex[], filter: unknown, sort: [string, number][]): boolean {
  const { bounds, or } = boundsOf(filter)
  const bounded = [...bounds.values()].some((bound) => bound !== 'none')
  // A read by id, or by every key of a unique index, returns the few documents named: sorting them costs nothing.
  const isPoint = (field: string) => bounds.get(field) === 'point'
  if (isPoint('_id') || indexes.some((index) => index.unique && index.key.every(([field]) => isPoint(field)))) return true
  if (bounded && indexes.some((index) => servesConjunction(index, bounds, sort))) return true
  if (or.length > 0) {
    const [branches, ...moreOrs] = or as unknown[][]
    // the rest of the filter joined with each branch (any further $or stays for the recursion)
    return branches.every((branch) => isServed(indexes, { $and: [stripFirstOr(filter, branches), branch, ...moreOrs.map((other) => ({ $or: other }))] }, sort))
  }
  // Nothing bounded (a whole-collection list, `_id: { $exists: true }`): an index whose keys start with the sort
  // serves it by a full scan in order, filtering as it goes.
  // Without a sort it is a collection scan.
  if (!bounded && or.length === 0) return sort.length > 0 && indexes.some((index) => servesConjunction(index, new Map(), sort, { scanAll: true }))
  return false
}

/** The filter without the given $or (at its top or inside its $and). */
function stripFirstOr(filter: unknown, branches: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === '$or' && value === branches) continue
    if (key === '$and' && Array.isArray(value)) result.$and = value.map((branch) => stripFirstOr(branch, branches))
    else result[key] = value
  }
  return result
}

function servesConjunction(index: PlanIndex, bounds: Map<string, Bound>, sort: [string, number][], { scanAll = false } = {}): boolean {
  const [leading] = index.key[0]
  if (!scanAll && (bounds.get(leading) ?? 'none') === 'none') return false
  const isPoint = (field: string) => bounds.get(field) === 'point'
  const wanted = sort.filter(([field]) => !isPoint(field))
  if (wanted.length === 0) return true
  // The index's order once its point-fixed keys are left out.
  const order = index.key.filter(([field]) => !isPoint(field))
  if (wanted.length > order.length) return false
  const flip = wanted[0][1] * order[0][1]
  return wanted.every(([field, direction], i) => order[i][0] === field && direction * order[i][1] === flip)
}

describe("the model of MongoDB's prefix rule", () => {
  const index = (key: Record<string, number>, unique = false): PlanIndex => ({ key: Object.entries(key), unique })
  const queue = [index({ project: 1, status: 1, priority: -1, createdAt: 1, _id: 1 })]

  it('serves points then the sort in the index order, or all of it reversed', () => {
    expect(isServed(queue, { project: 'p', status: { $in: ['queued', 'processing'] } }, [['priority', -1], ['createdAt', 1]])).toBe(true)
    expect(isServed(queue, { project: 'p', status: 'queued' }, [['priority', 1], ['createdAt', -1], ['_id', -1]])).toBe(true)
    // mixed directions are neither the index's order nor its reverse
    expect(isServed(queue, { project: 'p', status: 'queued' }, [['priority', -1], ['createdAt', -1]])).toBe(false)
  })

  it('does not sort after a range, nor without the leading key, nor past the end of the index', () => {
    expect(isServed(queue, { project: 'p', status: { $gt: 'a' } }, [['priority', -1]])).toBe(false)
    expect(isServed(queue, { status: 'queued' }, [])).toBe(false)
    expect(isServed([index({ project: 1, episode: 1, sceneNumber: 1 }, true)], { project: 'p', episode: 'e' }, [['sceneNumber', 1], ['createdAt', -1]])).toBe(false)
    // a range on the sort key itself is fine
    expect(isServed([index({ createdAt: -1, _id: -1 })], { createdAt: { $lt: new Date() } }, [['createdAt', 1], ['_id', 1]])).toBe(true)
    // $ne and unanchored patterns bound nothing
    expect(isServed([index({ title: 1 })], { title: { $regex: 'x' } }, [])).toBe(false)
  })

  it('plans an $or branch by branch, and takes a read by id or by a whole unique key as served', () => {
    const projects = [index({ createdBy: 1, createdAt: -1 }), index({ collaborators: 1, createdAt: -1 })]
    expect(isServed(projects, { $and: [{ $or: [{ createdBy: 'u' }, { collaborators: { $in: ['u'] } }] }] }, [['createdAt', -1]])).toBe(true)
    expect(isServed(projects.slice(0, 1), { $or: [{ createdBy: 'u' }, { collaborators: 'u' }] }, [['createdAt', -1]])).toBe(false)
    expect(isServed([], { _id: { $in: ['a', 'b'] } }, [['createdAt', -1]])).toBe(true)
    expect(isServed([index({ email: 1 }, true)], { email: 'a@b.c' }, [['createdAt', -1]])).toBe(true)
  })
})
