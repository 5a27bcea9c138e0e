/**
 * `npm run bench:search`: similarity and text search costs, each beside a baseline measured in the same run.
 * 1. Exact cosine top-10 over BENCH_VECTORS (default 100,000) × 1024-d unit vectors in one shared Float32Array
 *    (src/search/vectors/cosineTopK.ts, what the in-memory fallback runs per query): on one thread and split over the
 *    scan threads (what the API serves), p50/p95, memory and recall, beside a plain nested loop over number[][]
 *    that scores every row and sorts (goal: ≤ 100 ms p50 on 2 cores). BENCH_QUERIES, BENCH_BASELINE_QUERIES.
 * 2. Text search (searchService) over BENCH_TEXT_PROJECTS (default 100,000) projects on DATABASE_URL's server or
 *    the embedded FerretDB, for a member of 50 projects and for an admin (every project), p50 and ratio to a raw
 *    indexed find (`projects.find({ title })`) on the same server. Not a test: numbers are printed, nothing asserted.
 */
import { parseOrExit } from '../scripts/lib/connect'
import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { databaseUrl as withDatabase } from '../scripts/lib/ferretdb.mjs'
import { allocateRows, type Hit, normalize, scanThreadCount, scanTopK, topKSimilar } from '../src/search/vectors/cosineTopK'
import { randomVector, seededRandom } from '../tests/helpers/randomVectors'
import { benchServer } from './lib/benchServer'
import { benchSetting, smokeOption, smokeUsage } from './lib/settings'

const { values: options } = parseOrExit({ options: smokeOption }, `Usage: npm run bench:search [-- --smoke]

Exact cosine top-10 and text search costs beside their baselines.
Settings: BENCH_VECTORS, BENCH_QUERIES, BENCH_BASELINE_QUERIES, BENCH_TEXT_PROJECTS, BENCH_ITERATIONS. ${smokeUsage}
Uses DATABASE_URL's server when set, otherwise an embedded FerretDB. Exit codes: 0 done, 1 failed, 2 bad arguments.`)

const percentile = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((samples.length * p) / 100))]
const ms = (value: number) => `${value.toFixed(1)} ms`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
async function time(iterations: number, run: () => unknown): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < iterations; i++) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  return samples
}

/** BENCH_PART=vectors or BENCH_PART=text runs one part only (both by default). */
const part = process.env.BENCH_PART || 'all'
const random = seededRandom(7)
if (!['all', 'vectors', 'text'].includes(part)) throw new Error(`BENCH_PART must be vectors, text or all, not ${part}`)

// 1. Vectors.
if (part !== 'text') {
  const count = benchSetting('BENCH_VECTORS', { full: 100_000, smoke: 2_000 }, options.smoke)
  const dimensions = 1024
  const k = 10
  const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ')
  console.log(`Exact cosine top-${k} over ${count.toLocaleString()} × ${dimensions}-d (Node ${process.version}, ${os.cpus().length} cores, ${scanThreadCount()} scan threads, load average ${load()})`)
  let before = process.memoryUsage()
  const vectors = allocateRows(count, dimensions)
  const row = new Float32Array(dimensions)
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < dimensions; i++) row[i] = random() * 2 - 1
    normalize(row, vectors.subarray(r * dimensions, (r + 1) * dimensions))
  }
  const typedBytes = process.memoryUsage().arrayBuffers - before.arrayBuffers
  const sets = [{ vectors, dimensions, count }]
  const queries = Array.from({ length: benchSetting('BENCH_QUERIES', { full: 40, smoke: 3 }, options.smoke) }, () => randomVector(random, dimensions))
  const unitQueries = queries.map((query) => normalize(query))
  const answers = new Map<string, number[][]>()
  // CPU time per query (every thread of this process): what the wall time would approach with the cores to itself
  // (÷ the threads used), since other processes on a shared machine stretch wall time, not CPU time.
  const cpu = new Map<string, number>()
  const withCpu = async (name: string, runs: number, measure: () => Promise<number[]>) => {
    const started = process.cpuUsage()
    const samples = await measure()
    const used = process.cpuUsage(started)
    cpu.set(name, (used.user + used.system) / 1000 / runs)
    return samples
  }
  const run = async (name: string, search: (query: Float32Array) => Hit[] | Promise<Hit[]>) => {
    const got: number[][] = []
    await search(unitQueries[0]) // warm-up (JIT, thread start)
    const samples = await withCpu(name, queries.length, () =>
      time(queries.length, async () => got.push((await search(unitQueries[got.length])).map((hit) => hit.row))),
    )
    answers.set(name, got)
    return samples
  }
  const threaded = await run('threads', (query) => topKSimilar({ sets, query, k }))
  const single = await run('single', (query) => scanTopK({ sets, query, k }))

  // Baseline: what a first version would write — number[][] rows, cosine with norms per pair, score every row, sort.
  before = process.memoryUsage()
  const plain: number[][] = []
  for (let r = 0; r < count; r++) plain.push(Array.from(vectors.subarray(r * dimensions, (r + 1) * dimensions)))
  const plainBytes = process.memoryUsage().heapUsed - before.heapUsed
  const baselineRuns = Math.min(queries.length, benchSetting('BENCH_BASELINE_QUERIES', { full: 8, smoke: 2 }, options.smoke))
  const expected: number[][] = []
  const baseline = await withCpu('baseline', baselineRuns, () => time(baselineRuns, () => {
    const query = queries[expected.length]
    const scores: { r: number; score: number }[] = []
    for (let r = 0; r < plain.length; r++) {
      let dot = 0
      let norm = 0
      let queryNorm = 0
      for (let i = 0; i < dimensions; i++) {
        dot += plain[r][i] * query[i]
        norm += plain[r][i] * plain[r][i]
        queryNorm += query[i] * query[i]
      }
      scores.push({ r, score: dot / Math.sqrt(norm * queryNorm) })
    }
    expected.push(scores.sort((a, b) => b.score - a.score).slice(0, k).map((hit) => hit.r))
  }))
  plain.length = 0
  const recall = (name: string) => {
    const got = answers.get(name)!
    let hits = 0
    expected.forEach((rows, q) => (hits += rows.filter((r) => got[q].includes(r)).length))
    return (hits / (expected.length * k)).toFixed(3)
  }
  const base50 = percentile(baseline, 50)
  const line = (label: string, name: string, samples: number[], memory: string, extra = '') =>
    console.log(
      `  ${label.padEnd(44)} p50 ${ms(percentile(samples, 50)).padStart(9)}  p95 ${ms(percentile(samples, 95)).padStart(9)}  ${(base50 / percentile(samples, 50)).toFixed(1).padStart(5)}× baseline  CPU ${ms(cpu.get(name)!)}/query  memory ${memory}${extra}`,
    )
  line('baseline: nested loop over number[][] + sort', 'baseline', baseline, mb(plainBytes))
  line('Float32Array rows, unrolled, top-k, 1 thread', 'single', single, mb(typedBytes), `  recall ${recall('single')}`)
  line(`the same split over ${scanThreadCount()} scan threads (served)`, 'threads', threaded, `${mb(typedBytes)} shared`, `  recall ${recall('threads')}`)
  console.log(`  load average after: ${load()}`)
}

// 2. Text search.
if (part !== 'vectors') {
  const projectsCount = benchSetting('BENCH_TEXT_PROJECTS', { full: 100_000, smoke: 500 }, options.smoke)
  const { uri: serverUri, stop: stopServer } = await benchServer('movie-platform-bench-search')
  process.env.DATABASE_URL = withDatabase(serverUri, `bench_search_${randomBytes(4).toString('hex')}`)
  process.env.PAYLOAD_SECRET ||= 'bench-secret-0123456789abcdef0123456789'
  const { describeEngine, detectDatabaseEngine } = await import('../src/db/engine')
  const { getPayload } = await import('payload')
  const { Types } = await import('mongoose')
  const { searchService } = await import('../src/services/searchService')
  const engine = await detectDatabaseEngine(process.env.DATABASE_URL)
  const payload = await getPayload({ config: (await import('../payload.config')).default })
  const db = payload.db.connection.db!
  try {
    const password = 'Bench-passw0rd!'
    const admin = await payload.create({ collection: 'users', data: { email: 'admin@bench.test', password } as never })
    const member = await payload.create({ collection: 'users', data: { email: 'member@bench.test', password } as never })
    const other = new Types.ObjectId()
    const words = ['harbour', 'lights', 'storm', 'desert', 'caravan', 'keeper', 'night', 'city', 'river', 'ghost', 'robot', 'garden']
    const pick = () => words[(random() * words.length) | 0]
    console.log(`\nText search over ${projectsCount.toLocaleString()} projects on ${describeEngine(engine)} (inserting…)`)
    const started = Date.now()
    for (let offset = 0; offset < projectsCount; offset += 1000) {
      const batch = Array.from({ length: Math.min(1000, projectsCount - offset) }, (_, i) => {
        const n = offset + i
        const now = new Date()
        return {
          title: `${pick()} ${pick()} ${n}`,
          description: `A story of ${pick()} and ${pick()} by the ${pick()}.`,
          createdBy: n < 50 ? new Types.ObjectId(String(member.id)) : other,
          collaborators: [],
          status: 'concept',
          episodeCount: 1,
          createdAt: now,
          updatedAt: now,
        }
      })
      await db.collection('projects').insertMany(batch)
    }
    console.log(`  inserted in ${Math.round((Date.now() - started) / 1000)} s`)
    const iterations = benchSetting('BENCH_ITERATIONS', { full: 20, smoke: 3 }, options.smoke)
    const rawFind = await time(iterations, () => db.collection('projects').find({ title: `${pick()} ${pick()} ${(random() * projectsCount) | 0}` }).limit(20).toArray())
    const asMember = await time(iterations, () => searchService.search({ actor: { payload, user: member as never }, q: `${pick()} ${pick()}`, types: 'projects' }))
    const asAdmin = await time(Math.max(3, iterations / 4), () =>
      searchService.search({ actor: { payload, user: admin as never }, q: `${pick()} ${pick()}`, types: 'projects' }),
    )
    const rawP50 = percentile(rawFind, 50)
    // Indexed on MongoDB; FerretDB's SQLite backend pushes no filter down (its plan says so), so there it is a scan.
    console.log(`  raw find by title (title index)        p50 ${ms(rawP50)}  (load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')})`)
    console.log(`  search as a member of 50 projects      p50 ${ms(percentile(asMember, 50))}  (${(percentile(asMember, 50) / rawP50).toFixed(1)}× the raw find)`)
    console.log(`  search as admin (all ${projectsCount} projects)  p50 ${ms(percentile(asAdmin, 50))}  (${(percentile(asAdmin, 50) / rawP50).toFixed(1)}× the raw find)`)
  } finally {
    await db.dropDatabase().catch(() => {})
    await payload.destroy()
    await stopServer()
  }
}
process.exit(0)
