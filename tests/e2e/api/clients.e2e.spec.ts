import type { Config } from '../../../src/payload-types'

import { PayloadSDK, PayloadSDKError } from '@payloadcms/sdk'
import { cacheExchange, createClient, fetchExchange, gql } from '@urql/core'
import { ClientError, GraphQLClient } from 'graphql-request'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { pngFile } from '../../helpers/files'
import { requestJson } from '../../helpers/http'
import { createDoc, people, type Person, testRateLimits } from './v1/session'

/**
 * REST and GraphQL through independently written clients, as frontend developers use them (docs/API.md, "For
 * frontend developers"): Payload's own @payloadcms/sdk, graphql-request and @urql/core (which sends queries by
 * GET). A non-admin owner throughout.
 */
let app: RunningApp
let owner: Person
let project: { id: string }
const password = 'Passw0rd!secret'

beforeAll(async () => {
  app = await startApp('api_clients', { RATE_LIMITS: testRateLimits })
  owner = await (await people(app)).person('owner')
  project = await createDoc(app, owner, 'projects', { title: 'Clients', genre: 'sci-fi' })
})
afterAll(async () => app?.stop())

describe('@payloadcms/sdk', () => {
  it('signs in on the auth collection, reads and writes with depth 0, and uploads a named File', async () => {
    const anonymous = new PayloadSDK<Config>({ baseURL: `${app.url}/api` })
    const { token } = await anonymous.login({ collection: 'users', data: { email: owner.email, password } })
    expect(token).toEqual(expect.any(String))
    const sdk = new PayloadSDK<Config>({ baseURL: `${app.url}/api`, baseInit: { headers: { Authorization: `JWT ${token}` } } })

    const mine = await sdk.find({ collection: 'projects', depth: 0 })
    expect(mine.docs.map((doc) => doc.id)).toEqual([project.id])
    expect(mine.docs[0].genre).toBe('sci-fi')

    const episode = await sdk.create({ collection: 'episodes', data: { project: project.id, title: 'Pilot' }, depth: 0 })
    // depth 0: relationships come back as ids, as they were written.
    expect(episode.project).toBe(project.id)
    expect(episode.episodeNumber).toBe(1)

    const png = await pngFile()
    const media = await sdk.create({
      collection: 'media',
      data: { project: project.id, mediaType: 'concept_art' },
      file: new File([new Uint8Array(png.data)], 'frame.png', { type: 'image/png' }),
      depth: 0,
    })
    expect(media).toMatchObject({ filename: expect.stringMatching(/frame.*\.png$/), mimeType: 'image/png', project: project.id })
  })

  it('surfaces the error body: status and Payload errors[] on PayloadSDKError', async () => {
    const sdk = new PayloadSDK<Config>({ baseURL: `${app.url}/api`, baseInit: { headers: { Authorization: `JWT ${owner.token}` } } })
    const error = await sdk
      .update({ collection: 'projects', id: project.id, data: { episodeCount: 999 } })
      .then(() => undefined, (err: unknown) => err)
    expect(error).toBeInstanceOf(PayloadSDKError)
    expect((error as PayloadSDKError).status).toBe(400)
    expect((error as PayloadSDKError).errors[0].message).toEqual(expect.any(String))
  })
})

describe('GraphQL clients', () => {
  const query = `{ Projects { docs { id title genre } } }`

  it('graphql-request (POST) reads as the owner; GraphQL names the genre sci_fi where REST says sci-fi', async () => {
    const client = new GraphQLClient(`${app.url}/api/graphql`, { headers: { authorization: `JWT ${owner.token}` } })
    const data = await client.request<{ Projects: { docs: { id: string; genre: string }[] } }>(query)
    expect(data.Projects.docs).toEqual([{ id: project.id, title: 'Clients', genre: 'sci_fi' }])
    const viaRest = await requestJson(`${app.url}/api/projects/${project.id}?depth=0`, { token: owner.token })
    expect(viaRest.body.genre).toBe('sci-fi')
    // And the enum name is what GraphQL takes as input.
    const filtered = await client.request<{ Projects: { docs: { id: string }[] } }>(`{ Projects(where: { genre: { equals: sci_fi } }) { docs { id } } }`)
    expect(filtered.Projects.docs.map((doc) => doc.id)).toEqual([project.id])
  })

  it('graphql-request receives errors as JSON with the app error body', async () => {
    const client = new GraphQLClient(`${app.url}/api/graphql`, { headers: { authorization: `JWT ${owner.token}` } })
    const error = await client.request(`mutation { updateProject(id: "${project.id}", data: { episodeCount: 999 }) { id } }`).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(ClientError)
    expect((error as ClientError).response.errors?.[0].extensions?.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
  })

  it('@urql/core sends queries by GET and gets answers', async () => {
    const requests: string[] = []
    const client = createClient({
      url: `${app.url}/api/graphql`,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { authorization: `JWT ${owner.token}` } },
      fetch: (input, init) => {
        requests.push(init?.method ?? 'GET')
        return fetch(input, init)
      },
    })
    const result = await client.query(gql(query), {}).toPromise()
    expect(result.error).toBeUndefined()
    expect(result.data.Projects.docs).toEqual([{ __typename: 'Project', id: project.id, title: 'Clients', genre: 'sci_fi' }])
    expect(requests).toEqual(['GET'])
  })

  it('refuses a mutation sent by GET (405) and a body that is not JSON (400), both as JSON', async () => {
    const mutation = encodeURIComponent(`mutation { updateProject(id: "${project.id}", data: { title: "By GET" }) { id } }`)
    const byGet = await requestJson(`${app.url}/api/graphql?query=${mutation}`, { token: owner.token })
    expect(byGet.status).toBe(405)
    expect(byGet.body.errors[0].message).toMatch(/mutation/i)
    expect(byGet.body.errors[0].extensions.error).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' })
    const unchanged = await requestJson(`${app.url}/api/projects/${project.id}?depth=0`, { token: owner.token })
    expect(unchanged.body.title).toBe('Clients')

    const notJson = await requestJson(`${app.url}/api/graphql`, {
      method: 'POST',
      token: owner.token,
      headers: { 'content-type': 'application/json' },
      body: '{ Projects { docs { id } } }',
    })
    expect(notJson.status).toBe(400)
    // The JSON body guard (src/http/guardJsonBody) refuses it before GraphQL parses anything, with the error
    // family's body for a malformed body, the same as /api/v1 and REST answer it.
    expect(notJson.body.errors[0].extensions.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: { issues: [{ path: '' }] } })
  })

  it('answers every error with extensions.error, also those graphql-http answers before anything runs', async () => {
    const post = (query: string) => requestJson(`${app.url}/api/graphql`, { method: 'POST', token: owner.token, body: { query } })
    // [what, the answer, its HTTP status, extensions.error's status and code]. graphql-http answers a document that
    // does not validate with 200 to a client accepting application/json (GraphQL over HTTP); the error is still a 400.
    const cases: [string, ReturnType<typeof requestJson<{ errors: { extensions?: { error?: { details: { issues: { path: string }[] } } } }[] }>>, number, number, string][] = [
      ['a syntax error', post('{ Projects { docs { id }'), 400, 400, 'VALIDATION_FAILED'],
      ['an unknown field', post('{ Projects { docs { id noSuchField } } }'), 200, 400, 'VALIDATION_FAILED'],
      ['an unknown argument', post('{ Projects(colour: "red") { docs { id } } }'), 200, 400, 'VALIDATION_FAILED'],
      ['an unknown field, by GET', requestJson(`${app.url}/api/graphql?query=${encodeURIComponent('{ Projects { docs { nope } } }')}`, { token: owner.token }), 200, 400, 'VALIDATION_FAILED'],
      ['a document over the guard\'s bounds', post(`{ ${Array.from({ length: 60 }, (_, i) => `a${i}: Projects(limit: 100) { docs { id } }`).join(' ')} }`), 400, 400, 'QUERY_LIMIT_EXCEEDED'],
    ]
    for (const [label, answer, httpStatus, status, code] of cases) {
      const response = await answer
      expect(response.status, label).toBe(httpStatus)
      expect(response.body.errors.length, label).toBeGreaterThan(0)
      expect(response.body, label).not.toHaveProperty('data')
      for (const error of response.body.errors) {
        expect(error.extensions?.error, `${label}: ${JSON.stringify(error)}`).toMatchObject({ status, code, message: expect.any(String) })
        if (code === 'VALIDATION_FAILED') expect(error.extensions?.error?.details.issues[0].path, label).toBe('query')
      }
    }
  })
})
