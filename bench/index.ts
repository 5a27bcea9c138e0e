/**
 * `npm run bench`: service-layer reads against the raw driver running the same query on the same server in the same
 * process (throughput ratio, goal ≥ 0.8×), database commands per request for each /api/v1 list endpoint (goal:
 * 1 + one per populated collection), and database commands per scene create, update (title) and delete and per task
 * enqueue, as the owner through the services (goal: ≤ 8 per scene write). Uses DATABASE_URL's server when set,
 * otherwise starts the embedded FerretDB; works in a database of its own and drops it afterwards. Not a test: numbers
 * are printed, nothing is asserted.
 *   BENCH_ITERATIONS (default 200) reads per measurement; --smoke: a few (CI).
 */
import type { MongoClient } from 'mongodb'

import { parseOrExit } from '../scripts/lib/connect'

import { randomBytes } from 'node:crypto'
import { databaseUrl as withDatabase } from '../scripts/lib/ferretdb.mjs'
import { benchServer } from './lib/benchServer'
import { breakdown, commandCounter } from './lib/commandCounter'
import { benchSetting, smokeOption, smokeUsage } from './lib/settings'

const { values: options } = parseOrExit({ options: smokeOption }, `Usage: npm run bench [-- --smoke]

Service-layer reads against the raw driver (throughput ratio), database commands per /api/v1 list request and per
scene write and task enqueue. Settings: BENCH_ITERATIONS (default 200). ${smokeUsage}
Uses DATABASE_URL's server when set, otherwise an embedded FerretDB; works in a database of its own and drops it.
Prints numbers; asserts nothing. Exit codes: 0 done, 1 failed, 2 bad arguments.`)

const iterations = benchSetting('BENCH_ITERATIONS', { full: 200, smoke: 3 }, options.smoke)
const warmUps = options.smoke ? 1 : 20

// 1. The server: DATABASE_URL's, or an embedded FerretDB.
const { uri: serverUri, stop: stopServer } = await benchServer('movie-platform-bench')
const benchUrl = new URL(withDatabase(serverUri, `bench_${randomBytes(4).toString('hex')}`))
benchUrl.searchParams.set('monitorCommands', 'true')
process.env.DATABASE_URL = benchUrl.toString()
process.env.PAYLOAD_SECRET ||= 'bench-secret-0123456789abcdef0123456789'
process.env.RATE_LIMITS = JSON.stringify({ login: { ip: { points: 1e9 }, user: { points: 1e9 } } })

const { describeEngine, detectDatabaseEngine } = await import('../src/db/engine')
const { IMPORT_STATUS_CONTEXT } = await import('../src/access/mayChooseCreationStatus')
const { getPayload } = await import('payload')
const { Types } = await import('mongoose')
const config = (await import('../payload.config')).default
const engine = await detectDatabaseEngine(benchUrl.toString())
const payload = await getPayload({ config })
const db = payload.db.connection.db!

try {
  // 2. Data: a producer-sized account. 30 projects, one with an episode of 60 scenes, 200 media of 4 types.
  const password = 'Bench-passw0rd!'
  await payload.create({ collection: 'users', data: { email: 'admin@bench.test', password } as never })
  const owner = await payload.create({ collection: 'users', data: { email: 'owner@bench.test', password, subscription: { tier: 'enterprise' } } as never })
  const statuses = ['concept', 'production', 'post-production'] as const
  const projects = []
  for (let n = 0; n < 30; n++) {
    projects.push(
      await payload.create({
        collection: 'projects',
        data: { title: `Bench ${n}`, createdBy: owner.id, status: statuses[n % 3], episodeCount: 10 } as never,
        // Seeding: the projects start in the status they are measured in (a new project otherwise starts as concept).
        context: { [IMPORT_STATUS_CONTEXT]: true },
      }),
    )
  }
  const project = projects[1]
  const episode = await payload.create({ collection: 'episodes', data: { project: project.id, episodeNumber: 1, title: 'Pilot' } as never })
  for (let n = 1; n <= 60; n++) {
    await payload.create({ collection: 'scenes', data: { project: project.id, episode: episode.id, sceneNumber: n, title: `Scene ${n}` } as never })
  }
  const mediaTypes = ['concept_art', 'storyboard', 'character_design', 'video_segment']
  const now = Date.now()
  // Media rows straight into the collection: uploads would only add file I/O that reads never touch.
  await db.collection('media').insertMany(
    Array.from({ length: 200 }, (_, n) => ({
      project: new Types.ObjectId(project.id),
      mediaType: mediaTypes[n % 4],
      status: 'active',
      filename: `m${n}.png`,
      mimeType: 'image/png',
      version: 1,
      agentGenerated: false,
      createdAt: new Date(now - n * 1000),
      updatedAt: new Date(now - n * 1000),
    })),
  )
  for (let n = 0; n < 40; n++) {
    await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation', priority: (n % 10) + 1 } as never })
  }

  const { projectService } = await import('../src/services/projectService')
  const { sceneService } = await import('../src/services/sceneService')
  const { mediaService } = await import('../src/services/mediaService')
  const { projectListSelect } = await import('../src/services/projectService')
  const { sceneListSelect } = await import('../src/services/sceneService')
  const { mediaListSelect } = await import('../src/services/mediaService')
  const { createLocalReq } = await import('payload')
  const user = await payload.findByID({ collection: 'users', id: owner.id })
  // As a route does it: a request object of its own for every call.
  const actor = async () => ({ payload, user: user as never, req: await createLocalReq({ user: user as never }, payload) })
  const oid = (id: string) => new Types.ObjectId(id)
  const projection = (select: Record<string, unknown>) =>
    Object.fromEntries(Object.keys(select).map((key) => [key, 1]))
  const raw = (collection: string, filter: Record<string, unknown>, sort: Record<string, 1 | -1>, select: Record<string, unknown>) => async () => {
    const [docs] = await Promise.all([
      db.collection(collection).find(filter).sort(sort).limit(20).project(projection(select)).toArray(),
      db.collection(collection).countDocuments(filter),
    ])
    return docs
  }
  const cases = [
    {
      name: 'projectService.findByUser',
      service: async () => (await projectService.findByUser({ actor: await actor() })).docs,
      raw: raw('projects', { $or: [{ createdBy: oid(owner.id) }, { collaborators: { $in: [oid(owner.id)] } }] }, { updatedAt: -1 }, projectListSelect),
    },
    {
      name: 'sceneService.findByEpisode',
      service: async () => (await sceneService.findByEpisode({ actor: await actor(), episodeId: episode.id })).docs,
      raw: raw('scenes', { episode: oid(episode.id) }, { sceneNumber: 1 }, sceneListSelect),
    },
    {
      name: 'mediaService.findByProject (type)',
      service: async () => (await mediaService.findByProject({ actor: await actor(), projectId: project.id, mediaType: 'storyboard' })).docs,
      raw: raw('media', { project: oid(project.id), mediaType: 'storyboard' }, { createdAt: -1 }, mediaListSelect),
    },
  ]

  const time = async (read: () => Promise<unknown[]>) => {
    for (let n = 0; n < warmUps; n++) await read()
    const started = process.hrtime.bigint()
    for (let n = 0; n < iterations; n++) await read()
    return Number(process.hrtime.bigint() - started) / 1e6 / iterations
  }

  console.log(`\nEngine: ${describeEngine(engine)}  (${iterations} reads per measurement, page size 20)\n`)
  console.log('Service reads vs the raw driver (same query, same server, same process)')
  console.log('  read                                  service ms   raw ms   ratio (raw/service, goal ≥ 0.80)')
  for (const entry of cases) {
    const [serviceDocs, rawDocs] = [await entry.service(), await entry.raw()]
    if (serviceDocs.length !== rawDocs.length) throw new Error(`${entry.name}: service returned ${serviceDocs.length} docs, raw ${rawDocs.length}`)
    const serviceMs = await time(entry.service)
    const rawMs = await time(entry.raw)
    console.log(`  ${entry.name.padEnd(38)}${serviceMs.toFixed(2).padStart(10)} ${rawMs.toFixed(2).padStart(8)}   ${(rawMs / serviceMs).toFixed(2)}×`)
  }

  // 3. Commands per request, through the real route handlers (authentication included).
  const { token } = await payload.login({ collection: 'users', data: { email: 'owner@bench.test', password } })
  const count = commandCounter(payload.db.connection.getClient() as unknown as MongoClient)
  type Route = { GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> }
  const route = (module: Promise<unknown>) => module as Promise<Route>
  const endpoints: [string, Promise<Route>, string, Record<string, string>][] = [
    ['GET /api/v1/projects?status=production', route(import('../src/app/api/v1/projects/route')), '/api/v1/projects?status=production', {}],
    ['GET /api/v1/episodes/{id}/scenes', route(import('../src/app/api/v1/episodes/[id]/scenes/route')), '/api/v1/episodes/x/scenes', { id: episode.id }],
    ['GET /api/v1/tasks?status=queued', route(import('../src/app/api/v1/tasks/route')), '/api/v1/tasks?status=queued', {}],
    ['GET /api/v1/projects/{id}/media?mediaType=', route(import('../src/app/api/v1/projects/[id]/media/route')), '/api/v1/projects/x/media?mediaType=storyboard', { id: project.id }],
    ['GET /api/v1/projects/{id}/overview', route(import('../src/app/api/v1/projects/[id]/overview/route')), '/api/v1/projects/x/overview', { id: project.id }],
  ]
  console.log('\nDatabase commands per request (route handler in process; depth 0 lists populate nothing)')
  for (const [label, module, url, params] of endpoints) {
    const { GET } = await module
    const call = async () => {
      const response = await GET(new Request(`http://bench${url}`, { headers: { authorization: `JWT ${token}` } }), { params: Promise.resolve(params) })
      if (response.status !== 200) throw new Error(`${label}: ${response.status} ${await response.text()}`)
      return (await response.json()) as { docs?: unknown[] }
    }
    await call()
    const { result: body, commands } = await count(call)
    const docs = body.docs?.length ?? '—'
    console.log(`  ${label.padEnd(44)} ${String(commands.length).padStart(3)} commands (${docs} docs): ${breakdown(commands)}`)
  }
  console.log('\n  auth: 1× find users (JWT strategy). "find projects" beyond the list itself are the access rules resolving the')
  console.log('  caller\'s project memberships (src/access/memberships.ts), once per Local API call.')

  // 4. Commands per write, as the owner through the services (what /api/v1 and the admin's saves run): the derived
  // figures, numbering, audit and cache invalidation included. Each write is measured on a scene of its own after a
  // warm-up write, so a first-use cost (a collection created, an index built) is not counted.
  const { taskService } = await import('../src/services/taskService')
  const writes = options.smoke ? 1 : 5
  const measure = async (label: string, write: (n: number) => Promise<unknown>) => {
    await write(-1)
    const samples: string[][] = []
    for (let n = 0; n < writes; n++) samples.push((await count(() => write(n))).commands)
    const mean = samples.reduce((sum, sample) => sum + sample.length, 0) / samples.length
    console.log(`  ${label.padEnd(30)} ${mean.toFixed(1).padStart(5)} commands: ${breakdown(samples.at(-1)!)}`)
  }
  console.log(`\nDatabase commands per write (owner, services; mean of ${writes}; goal ≤ 8 per scene write)`)
  const written: string[] = []
  await measure('scene create', async () => {
    const scene = await sceneService.create({ actor: await actor(), data: { project: project.id, episode: episode.id, title: 'Bench write' } })
    written.push(scene.id)
  })
  let edits = 0
  await measure('scene update (title)', async () => sceneService.update({ actor: await actor(), id: written[0]!, data: { title: `Retitled ${edits++}` } }))
  await measure('scene delete', async () => sceneService.delete({ actor: await actor(), id: written.pop()! }))
  await measure('task enqueue', async () => taskService.create({ actor: await actor(), data: { project: project.id, taskType: 'image_generation', priority: 5 } }))
} finally {
  await db.dropDatabase().catch(() => {})
  await payload.destroy()
  await stopServer()
}
process.exit(0)
