import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'
import type { SearchHit } from '../../../src/services/searchService'
import type { Actor } from '../../../src/services/actor'

import { ValidationError } from '../../../src/errors'
import { invitationService } from '../../../src/services/invitationService'
import { searchService } from '../../../src/services/searchService'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { invitationToken } from '../../helpers/mail'
import { createTestPayload } from '../../helpers/payload'

/**
 * Text search through the service on the test engine (FerretDB v1: the regex-scan fallback): ranking, pagination
 * over several types, and scoping — what a stranger or a producer who is not a member owns never appears and never
 * takes a place on a page.
 */
let payload: Payload
let cleanup: () => Promise<void>
let admin: User, owner: User, collaborator: User, stranger: User, producer: User, invitee: User
const ids = { owner: new Set<string>(), stranger: new Set<string>(), invitee: new Set<string>() }
let lighthouseProject: string, desertProject: string, strangerProject: string
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('search'))
  const make = fixtures(payload)
  admin = (await make.user()) as User
  owner = (await make.user()) as User
  collaborator = (await make.user()) as User
  stranger = (await make.user()) as User
  producer = (await payload.update({ collection: 'users', id: ((await make.user()) as User).id, data: { role: 'producer' } as never })) as User

  const own = (doc: { id: string }) => (ids.owner.add(String(doc.id)), doc)
  const strangers = (doc: { id: string }) => (ids.stranger.add(String(doc.id)), doc)
  const lighthouse = own(await make.project(owner.id, { title: 'The Lighthouse Keeper', description: 'A storm on the coast.', collaborators: [collaborator.id] }))
  lighthouseProject = String(lighthouse.id)
  desertProject = String(own(await make.project(owner.id, { title: 'Desert Caravan', description: 'Ends at a lighthouse.' })).id)
  const episode = own(await make.episode(lighthouseProject, 1, { title: 'Storm night', script: { content: 'INT. LIGHTHOUSE - NIGHT. The lamp fails.' } }))
  own(await make.scene(lighthouseProject, String(episode.id), 1, { title: 'Cliff', script: { dialogue: [{ lines: 'Keep the lighthouse burning!' }] } }))
  own(await make.character(lighthouseProject, { name: 'Mara', description: 'Keeper of the lighthouse since 1952.' }))
  own(
    await payload.create({
      collection: 'media',
      data: { project: lighthouseProject, mediaType: 'concept_art', alt: 'Lighthouse at dusk', tags: ['coast'] } as never,
      file: await pngFile(),
    }),
  )
  own(
    await payload.create({
      collection: 'media',
      data: { mediaType: 'style_reference', alt: 'Unfiled lighthouse sketch', createdBy: owner.id } as never,
      file: await pngFile(),
      user: owner,
      overrideAccess: false,
    }),
  )
  // The stranger has many more matches than the owner: were they filtered after the query, the owner's pages
  // would come back short.
  strangerProject = String(strangers(await make.project(stranger.id, { title: 'Lighthouse Lighthouse Lighthouse', episodeCount: 20 })).id)
  for (let n = 1; n <= 12; n++) strangers(await make.episode(strangerProject, n, { title: `Lighthouse ${n}` }))
  strangers(await make.character(strangerProject, { name: 'Lighthouse ghost' }))
  // Invited into the lighthouse project, not yet accepted; with three matching documents of their own.
  invitee = (await make.user()) as User
  await invitationService.invite({ actor: as(owner), projectId: lighthouseProject, email: invitee.email })
  const inviteeProject = String((await make.project(invitee.id, { title: 'A lighthouse of my own' })).id)
  ids.invitee.add(inviteeProject)
  for (const name of ['Lighthouse cook', 'Lighthouse cat']) ids.invitee.add(String((await make.character(inviteeProject, { name })).id))
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

async function allPages(user: User, args: { q: string; types?: string; project?: string; limit?: number }): Promise<SearchHit[]> {
  const hits: SearchHit[] = []
  for (let page = 1; ; page++) {
    const result = await searchService.search({ actor: as(user), ...args, page, limit: args.limit ?? 3 })
    hits.push(...result.docs)
    if (result.hasNextPage) expect(result.docs).toHaveLength(args.limit ?? 3)
    if (!result.hasNextPage) {
      expect(hits).toHaveLength(result.totalDocs)
      return hits
    }
  }
}

describe('searchService.search (fallback ranking on FerretDB)', () => {
  it('finds every readable type through its searched fields, with full pages and exact totals', async () => {
    const first = await searchService.search({ actor: as(owner), q: 'lighthouse', limit: 3 })
    expect(first.ranking).toBe('scan')
    expect(first.docs).toHaveLength(3)
    expect(first.totalDocs).toBe(7)
    const hits = await allPages(owner, { q: 'lighthouse' })
    expect(new Set(hits.map((hit) => hit.type))).toEqual(new Set(['projects', 'episodes', 'scenes', 'characters', 'media']))
    expect(hits.every((hit) => ids.owner.has(hit.id))).toBe(true)
    expect(new Set(hits.map((hit) => hit.id)).size).toBe(7)
    // Scene dialogue lines (an array of groups) are searched too.
    expect(hits.find((hit) => hit.type === 'scenes')?.snippet).toBe('Keep the <mark>lighthouse</mark> burning!')
  })

  it('ranks a title match above a description match, and more terms above fewer', async () => {
    const projects = await searchService.search({ actor: as(owner), q: 'lighthouse', types: 'projects' })
    expect(projects.docs.map((hit) => hit.id)).toEqual([lighthouseProject, desertProject])
    expect(projects.docs[0].score).toBeGreaterThan(projects.docs[1].score)
    expect(projects.docs[0]).toMatchObject({ type: 'projects', title: 'The Lighthouse Keeper', project: lighthouseProject })
    const both = await searchService.search({ actor: as(owner), q: 'lighthouse storm', types: 'projects,episodes' })
    // "Storm night" (title holds one term, script the other) and the project (title + description) lead.
    expect(both.docs.slice(0, 2).map((hit) => hit.type).sort()).toEqual(['episodes', 'projects'])
    const scores = both.docs.map((hit) => hit.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })

  it('gives a collaborator the project documents, but not the owner’s unfiled uploads', async () => {
    const hits = await allPages(collaborator, { q: 'lighthouse' })
    expect(hits).toHaveLength(5)
    expect(hits.every((hit) => ids.owner.has(hit.id) && hit.title !== 'Unfiled lighthouse sketch')).toBe(true)
  })

  it('never shows a stranger’s or a non-member producer’s view anything outside their memberships', async () => {
    const strangerHits = await allPages(stranger, { q: 'lighthouse', limit: 5 })
    expect(strangerHits).toHaveLength(14)
    expect(strangerHits.every((hit) => ids.stranger.has(hit.id))).toBe(true)
    expect(strangerHits[0]).toMatchObject({ type: 'projects', id: strangerProject })
    const producerResult = await searchService.search({ actor: as(producer), q: 'lighthouse' })
    expect(producerResult).toMatchObject({ docs: [], totalDocs: 0, hasNextPage: false })
    // Naming a project outside one's memberships finds nothing rather than widening the scope.
    expect((await searchService.search({ actor: as(owner), q: 'lighthouse', project: strangerProject })).totalDocs).toBe(0)
    expect((await searchService.search({ actor: as(producer), q: 'lighthouse', project: lighthouseProject })).totalDocs).toBe(0)
  })

  it('lets an admin search everything, and narrows to one project on request', async () => {
    const everything = await searchService.search({ actor: as(admin), q: 'lighthouse', limit: 100 })
    expect(everything.totalDocs).toBe(7 + 14 + 3)
    const narrowed = await allPages(owner, { q: 'lighthouse', project: desertProject })
    expect(narrowed.map((hit) => hit.id)).toEqual([desertProject])
  })

  it('never shows a pending invitee the project they are invited to, and keeps their pages full', async () => {
    // Pages of 2 over 3 readable hits among 24 matches: anything of the owner's would take a place or shorten a page.
    const hits = await allPages(invitee, { q: 'lighthouse', limit: 2 })
    expect(hits.map((hit) => hit.id).sort()).toEqual([...ids.invitee].sort())
    expect((await searchService.search({ actor: as(invitee), q: 'lighthouse', project: lighthouseProject })).totalDocs).toBe(0)
    // Accepting is what lets the project in: the same search then finds its five documents (not the unfiled upload).
    const [invitation] = (await invitationService.listMine({ actor: as(invitee) })).docs
    expect(invitation.project.id).toBe(lighthouseProject)
    await invitationService.accept({ actor: as(invitee), id: invitation.id, token: invitationToken(invitation.id) })
    const joined = await allPages(invitee, { q: 'lighthouse', limit: 2 })
    expect(joined).toHaveLength(3 + 5)
  })

  it('escapes HTML in snippets and treats regular-expression characters as text', async () => {
    const hits = await searchService.search({ actor: as(owner), q: 'keeper.*(', types: 'characters' })
    expect(hits.docs.map((hit) => hit.snippet)).toEqual(['<mark>Keeper</mark> of the lighthouse since 1952.'])
    expect((await searchService.search({ actor: as(owner), q: '.*' }).catch((err) => err)) instanceof ValidationError).toBe(true)
  })

  it('rejects bad input with the field named', async () => {
    const issues = async (input: Record<string, unknown>) => {
      const err = await searchService.search({ actor: as(owner), q: 'x', ...input } as never).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ValidationError)
      return (err as ValidationError).issues.map((issue) => issue.path)
    }
    expect(await issues({ q: '' })).toEqual(['q'])
    expect(await issues({ q: 'ok', types: 'projects,users' })).toEqual(['types'])
    expect(await issues({ q: 'ok', page: 11, limit: 100 })).toEqual(['page'])
    // One page-size rule since the merge (the same as REST): a limit over 100 is a page of 100, not an error.
    expect((await searchService.search({ actor: as(owner), q: 'ok', limit: 101 } as never)).limit).toBe(100)
    expect(await issues({ q: 'ok', limit: -1 })).toEqual(['limit'])
    expect(await issues({ q: 'ok', project: 'nope' })).toEqual(['project'])
    expect(await issues({ q: 'ok', sort: 'title' })).toEqual(['sort'])
  })
})
