/**
 * `npm run bench:query-limits`: what the cost attacks of issue 19 (items 7 and 8) cost the server with and without
 * the bounds, in one process on one database: the GraphQL route as `next start` composes it (guardGraphQLCost) beside
 * Payload's bare handler, and a REST-shaped `where` as a caller (bounded) beside the same filter run by server code
 * (not bounded). Uses DATABASE_URL's server when set, otherwise the embedded FerretDB; a database of its own, dropped
 * afterwards. Not a test: numbers are printed, nothing is asserted.
 *   BENCH_ITERATIONS (default 5) runs per measurement (the median is printed).
 */
import { randomBytes } from 'node:crypto'

import { parseOrExit } from '../scripts/lib/connect'
import { databaseUrl as withDatabase } from '../scripts/lib/ferretdb.mjs'
import { benchServer } from './lib/benchServer'
import { benchSetting, smokeOption, smokeUsage } from './lib/settings'

const { values: options } = parseOrExit({ options: smokeOption }, `Usage: npm run bench:query-limits [-- --smoke]

What the issue-19 cost attacks (280 aliased GraphQL lists, a 200-branch REST-shaped where) cost with and without the
query limits, in one process on one database of its own. Settings: BENCH_ITERATIONS (default 5). ${smokeUsage}
Uses
DATABASE_URL's server when set, otherwise the embedded FerretDB. Prints numbers; asserts nothing.
Exit codes: 0 done, 1 failed, 2 bad arguments.`)

const iterations = benchSetting('BENCH_ITERATIONS', { full: 5, smoke: 1 }, options.smoke)
const { uri: serverUri, stop: stopServer } = await benchServer('movie-platform-bench-limits')
process.env.DATABASE_URL = withDatabase(serverUri, `bench_limits_${randomBytes(4).toString('hex')}`)
process.env.PAYLOAD_SECRET ||= 'bench-secret-0123456789abcdef0123456789'
process.env.RATE_LIMITS = JSON.stringify({ graphql: { ip: { points: 1e9 }, user: { points: 1e9 } }, login: { ip: { points: 1e9 }, user: { points: 1e9 } } })

const { getPayload } = await import('payload')
const config = (await import('../payload.config')).default
const routes = await import('@payloadcms/next/routes')
const { guardGraphQLCost } = await import('../src/http/graphqlGuard')
const { toGraphQLErrorResponse } = await import('../src/errors')
const { realisticFrontendQueries } = await import('../tests/helpers/graphqlQueries')
const payload = await getPayload({ config })

type Handler = (request: Request, context: unknown) => Promise<Response>
const bare = routes.GRAPHQL_POST(config) as Handler
const guarded = guardGraphQLCost(bare, { config, renderError: toGraphQLErrorResponse }) as Handler

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let n = 0; n < iterations; n++) {
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
}

try {
  const password = 'Bench-passw0rd!'
  await payload.create({ collection: 'users', data: { email: 'admin@bench.test', password } as never })
  const owner = await payload.create({ collection: 'users', data: { email: 'owner@bench.test', password, subscription: { tier: 'enterprise' } } as never })
  for (let n = 0; n < 30; n++) {
    await payload.create({ collection: 'projects', data: { title: `Bench ${n}`, createdBy: owner.id, episodeCount: 10 } as never })
  }
  const { token } = await payload.login({ collection: 'users', data: { email: 'owner@bench.test', password } })
  const auth = { authorization: `JWT ${token}` }

  const post = (handler: Handler, query: string, headers: Record<string, string>) =>
    handler(new Request('http://bench.test/api/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }), {}).then(
      async (response) => ({ status: response.status, text: await response.text() }),
    )
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: Projects(page: ${i + 1}) { totalDocs }`).join(' ')} }`

  // The attack sends 280 aliases; the smoke run sends fewer (it proves the path runs, not what it costs).
  const attackAliases = options.smoke ? 40 : 280
  console.log(`GraphQL, median of ${iterations} (ms)             owner      anonymous`)
  for (const [label, query] of [
    [`${attackAliases} aliased root lists (issue 19)`, aliased(attackAliases)],
    ['30 aliased root lists (alias bound)', aliased(30)],
  ] as const) {
    for (const [name, handler] of [
      ['bare Payload handler', bare],
      ['guarded (next start)', guarded],
    ] as const) {
      const asOwner = await median(() => post(handler, query, auth))
      const asAnonymous = await median(() => post(handler, query, {}))
      const { status } = await post(handler, query, auth)
      console.log(`  ${label.padEnd(38)} ${name.padEnd(22)} ${asOwner.toFixed(1).padStart(8)} ${asAnonymous.toFixed(1).padStart(10)}   (${status})`)
    }
  }
  for (const [name, { query }] of Object.entries(realisticFrontendQueries)) {
    if (query.includes('$')) continue // needs variables: measured through the int test's cost only
    const bareMs = await median(() => post(bare, query, auth))
    const guardedMs = await median(() => post(guarded, query, auth))
    console.log(`  frontend ${name.padEnd(29)} bare ${bareMs.toFixed(1)} ms, guarded ${guardedMs.toFixed(1)} ms`)
  }

  const where = { or: Array.from({ length: 200 }, (_, i) => ({ 'createdBy.email': { equals: `victim${i}@example.test` } })) }
  const user = { ...owner, collection: 'users' as const }
  const unbounded = await median(() => payload.find({ collection: 'projects', where: where as never, depth: 0 }))
  const bounded = await median(() => payload.find({ collection: 'projects', where: where as never, depth: 0, user, overrideAccess: false }).catch((err) => err))
  console.log(`where: 200 or-branches on createdBy.email   unbounded (server code) ${unbounded.toFixed(1)} ms, as a caller (refused) ${bounded.toFixed(1)} ms`)
} finally {
  await payload.db.connection.dropDatabase()
  await payload.destroy()
  await stopServer()
}
