import { codegen } from '@graphql-codegen/core'
import * as typedDocumentNode from '@graphql-codegen/typed-document-node'
import * as typescriptOperations from '@graphql-codegen/typescript-operations'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { pngFile } from '../../helpers/files'
import { requestJson } from '../../helpers/http'
import { typeCheck } from '../../helpers/typeCheck'
import { root } from '../../setup/appBuild'
import { createDoc, people, type Person, testRateLimits } from './v1/session'

/**
 * GraphQL as a frontend team uses it, from the published schema alone (schema.graphql; docs/API.md, "For frontend
 * developers"): a typed client generated with @graphql-codegen from that file and a frontend's documents (a project
 * page with its episodes, characters and media, the scene table page by page, a rename), type-checked with tsc, then
 * run with @urql/core against the app as a non-admin producer who owns the project. A schema.graphql that no longer
 * matches what the app serves fails here (or in CI's regeneration check).
 */
// The copy of graphql the code generator loads (CommonJS): its schema and documents must come from the same one.
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql')

const frontendDocuments = /* GraphQL */ `
  query ProjectPage($id: String!, $project: JSON) {
    Project(id: $id) {
      id
      title
      status
      genre
      createdBy { id name }
      collaborators { id name email }
    }
    Episodes(where: { project: { equals: $project } }, sort: "episodeNumber", limit: 50) {
      docs { id title episodeNumber status }
      totalDocs
    }
    Characters(where: { project: { equals: $project } }, limit: 50) {
      docs { id name }
      totalDocs
    }
    allMedia(where: { project: { equals: $project } }, sort: "-createdAt", limit: 24) {
      docs { id filename mediaType mimeType url }
      totalDocs
    }
  }

  query EpisodeScenes($episode: JSON, $page: Int) {
    Scenes(where: { episode: { equals: $episode } }, sort: "sceneNumber", limit: 2, page: $page) {
      docs { id title sceneNumber episode { id title } }
      page
      totalPages
      totalDocs
      hasNextPage
      nextPage
    }
  }

  mutation RenameScene($id: String!, $title: String!) {
    updateScene(id: $id, data: { title: $title }) { id title sceneNumber }
  }
`

/** The frontend's code: typed by the generated documents, so a field the schema lacks or mistypes fails tsc. */
const frontendClient = `
import { Client, fetchExchange } from '@urql/core'

import { EpisodeScenesDocument, ProjectPageDocument, RenameSceneDocument } from './graphql'
import type { EpisodeScenesQuery, ProjectPageQuery, RenameSceneMutation } from './graphql'

export function frontend(url: string, token: string) {
  const client = new Client({ url, exchanges: [fetchExchange], fetchOptions: { headers: { authorization: 'JWT ' + token } } })
  return {
    async projectPage(id: string) {
      const result = await client.query(ProjectPageDocument, { id, project: id }).toPromise()
      if (result.error) throw result.error
      const data: ProjectPageQuery = result.data!
      return {
        title: data.Project?.title ?? null,
        ownerId: data.Project?.createdBy?.id ?? null,
        members: (data.Project?.collaborators ?? []).map((member) => ({ id: member.id, name: member.name ?? null, email: member.email ?? null })),
        episodes: (data.Episodes?.docs ?? []).map((episode) => ({ id: episode.id, number: episode.episodeNumber ?? null, title: episode.title })),
        characters: (data.Characters?.docs ?? []).map((character) => character.name),
        media: (data.allMedia?.docs ?? []).map((media) => ({ filename: media.filename ?? null, type: media.mediaType, url: media.url ?? null })),
      }
    },
    async scenes(episode: string) {
      const titles: string[] = []
      let page: number | null | undefined = 1
      const pages: { page: number | null | undefined; hasNextPage: boolean | null | undefined }[] = []
      while (page) {
        const result = await client.query(EpisodeScenesDocument, { episode, page }).toPromise()
        if (result.error) throw result.error
        const scenes: EpisodeScenesQuery['Scenes'] = result.data!.Scenes
        titles.push(...(scenes?.docs ?? []).map((scene) => scene.sceneNumber + ' ' + scene.title))
        pages.push({ page: scenes?.page, hasNextPage: scenes?.hasNextPage })
        page = scenes?.hasNextPage ? scenes.nextPage : null
      }
      return { titles, pages }
    },
    async renameScene(id: string, title: string) {
      const result = await client.mutation(RenameSceneDocument, { id, title }).toPromise()
      if (result.error) throw result.error
      const scene: RenameSceneMutation['updateScene'] = result.data!.updateScene
      return { id: scene?.id ?? null, title: scene?.title ?? null }
    },
  }
}
`

type Frontend = {
  projectPage(id: string): Promise<{
    title: string | null
    ownerId: string | null
    members: { id: string; name: string | null; email: string | null }[]
    episodes: { id: string; number: number | null; title: string }[]
    characters: string[]
    media: { filename: string | null; type: string; url: string | null }[]
  }>
  scenes(episode: string): Promise<{ titles: string[]; pages: { page: number; hasNextPage: boolean }[] }>
  renameScene(id: string, title: string): Promise<{ id: string | null; title: string | null }>
}

let app: RunningApp
let owner: Person, collaborator: Person
let users: Awaited<ReturnType<typeof people>>
const ids: Record<string, string> = {}
let dir: string
let frontend: (url: string, token: string) => Frontend

beforeAll(async () => {
  app = await startApp('graphql_client', { RATE_LIMITS: testRateLimits })
  users = await people(app)
  owner = await users.person('producer')
  collaborator = await users.person('collaborator')
  const project = await createDoc(app, owner, 'projects', { title: 'Codegen', genre: 'sci-fi', episodeCount: 2 })
  // Members join by invitation; an admin adds one directly (POST /api/v1/projects/{id}/collaborators).
  const added = await requestJson(`${app.url}/api/v1/projects/${project.id}/collaborators`, { method: 'POST', token: users.admin.token, body: { userId: collaborator.id } })
  expect(added.status, JSON.stringify(added.body)).toBe(201)
  const pilot = await createDoc(app, owner, 'episodes', { project: project.id, title: 'Pilot' })
  await createDoc(app, owner, 'episodes', { project: project.id, title: 'Second' })
  const scenes = []
  for (const title of ['Arrival', 'Market', 'Rooftop', 'Escape', 'Dawn']) scenes.push(await createDoc(app, owner, 'scenes', { project: project.id, episode: pilot.id, title }))
  await createDoc(app, owner, 'characters', { project: project.id, name: 'Ada' })
  await createDoc(app, owner, 'characters', { project: project.id, name: 'Grace' })
  const png = await pngFile()
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(png.data)], { type: 'image/png' }), 'poster.png')
  form.append('_payload', JSON.stringify({ project: project.id, mediaType: 'concept_art' }))
  const media = await fetch(`${app.url}/api/media`, { method: 'POST', headers: { authorization: `JWT ${owner.token}` }, body: form })
  expect(media.status, await media.clone().text()).toBe(201)
  Object.assign(ids, { project: project.id, pilot: pilot.id, firstScene: scenes[0].id })

  // The typed client, generated from the published schema as a frontend's build would.
  const schemaText = readFileSync(path.join(root, 'schema.graphql'), 'utf8')
  const generated = await codegen({
    schema: graphql.parse(schemaText),
    schemaAst: graphql.buildSchema(schemaText),
    documents: [{ location: 'frontend.graphql', document: graphql.parse(frontendDocuments) }],
    filename: 'graphql.ts',
    config: { scalars: { JSON: 'unknown', EmailAddress: 'string', DateTime: 'string' }, useTypeImports: true },
    plugins: [{ typescriptOperations: {} }, { typedDocumentNode: {} }],
    pluginMap: { typescriptOperations, typedDocumentNode },
  })
  dir = mkdtempSync(path.join(root, '.cache', 'graphql-client-'))
  writeFileSync(path.join(dir, 'graphql.ts'), generated)
  writeFileSync(path.join(dir, 'frontend.ts'), frontendClient)
  frontend = ((await import(path.join(dir, 'frontend.ts'))) as { frontend: typeof frontend }).frontend
}, 600_000)
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  await app?.stop()
})

describe('a typed GraphQL client generated from schema.graphql', () => {
  it('type-checks against the generated types (strict)', () => {
    const tsc = typeCheck(dir, 'frontend.ts')
    expect(tsc.output, 'tsc on the generated client').toBe('')
    expect(tsc.status).toBe(0)
  })

  it('fails to type-check a field the schema does not have (the check is not a no-op)', () => {
    writeFileSync(path.join(dir, 'broken.ts'), frontendClient.replace('episode.episodeNumber ?? null', 'episode.episodeNo ?? null'))
    const tsc = typeCheck(dir, 'broken.ts')
    expect(tsc.status).not.toBe(0)
    expect(tsc.output).toMatch(/episodeNo/)
  })

  it('runs the project page as the owner: episodes, characters, media, and every member by id', async () => {
    const page = await frontend(`${app.url}/api/graphql`, owner.token).projectPage(ids.project)
    expect(page.title).toBe('Codegen')
    expect(page.ownerId).toBe(owner.id)
    // The collaborator's account is not readable by the owner: its id, as REST answers it, and nothing else.
    expect(page.members).toEqual([{ id: collaborator.id, name: null, email: null }])
    const rest = await requestJson(`${app.url}/api/projects/${ids.project}?depth=0`, { token: owner.token })
    expect(rest.body.collaborators).toEqual(page.members.map((member) => member.id))
    expect(page.episodes.map((episode) => [episode.number, episode.title])).toEqual([
      [1, 'Pilot'],
      [2, 'Second'],
    ])
    expect(page.characters.sort()).toEqual(['Ada', 'Grace'])
    expect(page.media).toEqual([{ filename: expect.stringMatching(/poster.*\.png$/), type: 'concept_art', url: expect.any(String) }])
  })

  it('the collaborator sees the same project with the owner by id', async () => {
    const page = await frontend(`${app.url}/api/graphql`, collaborator.token).projectPage(ids.project)
    expect(page.ownerId).toBe(owner.id)
    expect(page.members.map((member) => member.id)).toEqual([collaborator.id])
    expect(page.members[0].email).toBe(collaborator.email)
  })

  it('pages through the scene table in scene order', async () => {
    const { titles, pages } = await frontend(`${app.url}/api/graphql`, owner.token).scenes(ids.pilot)
    expect(titles).toEqual(['1 Arrival', '2 Market', '3 Rooftop', '4 Escape', '5 Dawn'])
    expect(pages).toEqual([
      { page: 1, hasNextPage: true },
      { page: 2, hasNextPage: true },
      { page: 3, hasNextPage: false },
    ])
  })

  it('renames a scene with the typed mutation, and REST reads the new title', async () => {
    const renamed = await frontend(`${app.url}/api/graphql`, owner.token).renameScene(ids.firstScene, 'Arrival at night')
    expect(renamed).toEqual({ id: ids.firstScene, title: 'Arrival at night' })
    const rest = await requestJson(`${app.url}/api/scenes/${ids.firstScene}?depth=0`, { token: owner.token })
    expect(rest.body.title).toBe('Arrival at night')
  })

  it('a producer who is not a member reads nothing of the project', async () => {
    const stranger = await users.person('stranger')
    const error = await frontend(`${app.url}/api/graphql`, stranger.token)
      .projectPage(ids.project)
      .then(() => undefined, (err: { graphQLErrors?: { extensions?: { error?: unknown } }[] }) => err)
    expect(error?.graphQLErrors?.[0]?.extensions?.error).toMatchObject({ status: expect.any(Number), code: expect.any(String) })
  })
})
