import type { Payload } from 'payload'

import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { defineAccessMatrix } from '../../helpers/accessMatrix'
import { type Scenario, seedScenario, type Transport } from '../../helpers/accessScenario'
import { type RunningApp, startApp } from '../../helpers/app'
import { graphQLTransport, restTransport, signIn } from '../../helpers/httpTransports'
import { payloadAt } from '../../helpers/payloadAt'

// The policy table (src/access/policy.ts, mirrored by docs/ACCESS.md) through REST and GraphQL over real HTTP, on
// one app. Its rate limits are raised: this file sends hundreds of requests from one address.
let app: RunningApp
let payload: Payload
let scenario: Scenario
let rest: Transport
let graphql: Transport
let credentials: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  app = await startApp('access-matrix-http', {
    RATE_LIMITS: JSON.stringify({
      graphql: { ip: { points: 100000 }, user: { points: 100000 } },
      registration: { ip: { points: 100000 }, user: { points: 100000 } },
    }),
  })
  payload = await payloadAt(app.databaseUrl)
  scenario = await seedScenario(payload)
  credentials = await signIn(app.url, scenario)
  rest = restTransport(app.url, credentials)
  graphql = graphQLTransport(app.url, credentials)
})

afterAll(async () => {
  if (payload) {
    const media = await payload.find({ collection: 'media', pagination: false, depth: 0 })
    const files = media.docs.flatMap((doc) => [doc.filename, ...Object.values(doc.sizes ?? {}).map((size: any) => size?.filename)])
    for (const file of files.filter(Boolean) as string[]) rmSync(path.resolve(process.cwd(), 'media', file), { force: true })
    await payload.db.connection.dropDatabase()
    await payload.destroy()
  }
  await app?.stop()
})

describe('REST', () => defineAccessMatrix(() => ({ payload, scenario, transport: rest })))
describe('GraphQL', () => defineAccessMatrix(() => ({ payload, scenario, transport: graphql })))

describe('a refused read does not reveal whether the document exists', () => {
  it.each(['projects', 'episodes', 'sessions', 'users'] as const)('%s over REST and GraphQL', async (slug) => {
    const get = async (id: string) => {
      const response = await fetch(`${app.url}/api/${slug}/${id}`, { headers: { authorization: credentials.stranger! } })
      return { status: response.status, body: await response.json() }
    }
    const existing = await get(scenario.targets[slug])
    const missing = await get('0123456789abcdef01234567')
    expect(existing.status).toBe(404)
    expect(missing).toEqual(existing)
    const one = { projects: 'Project', episodes: 'Episode', sessions: 'Session', users: 'User' }[slug]
    const ask = async (id: string) =>
      (
        await fetch(`${app.url}/api/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: credentials.stranger! },
          body: JSON.stringify({ query: `query($id: String!) { ${one}(id: $id) { id } }`, variables: { id } }),
        })
      ).json()
    const [gqlExisting, gqlMissing] = [await ask(scenario.targets[slug]), await ask('0123456789abcdef01234567')]
    expect(gqlExisting.errors?.[0]?.message).toBe(gqlMissing.errors?.[0]?.message)
    expect(gqlExisting.data).toEqual(gqlMissing.data)
  })
})
