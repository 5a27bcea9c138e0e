import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { membershipWhere } from '../../../src/access/memberships'
import { projectService } from '../../../src/services/projectService'
import { type Scenario, seedScenario } from '../../helpers/accessScenario'
import { createTestPayload } from '../../helpers/payload'

/**
 * `GET /api/v1/projects` (projectService.findByUser) leaves the membership filter to the read rule when the rule
 * applies the same one (a person listing all of their own). The answers must not move: for every caller, the items
 * and totals are those of the membership filter applied by the system, and a worker key still reads nothing.
 */
let payload: Payload
let cleanup: () => Promise<void>
let scenario: Scenario

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('project-list-filter', { monitorCommands: true }))
  scenario = await seedScenario(payload)
  // More than a page for the owner, filters that narrow, and a project the admin owns.
  for (let i = 0; i < 4; i++) {
    await payload.create({ collection: 'projects', data: { title: `Extra ${i}`, genre: i % 2 ? 'drama' : 'comedy', createdBy: scenario.users.owner.id } as never })
  }
  await payload.create({ collection: 'projects', data: { title: 'Admin’s own', genre: 'drama', createdBy: scenario.users.admin.id } as never })
}, 120_000)
afterAll(async () => cleanup?.())

/** What the list must answer: the member's projects, found by the system with the filter spelled out. */
const expected = async (memberId: string, extra: Record<string, unknown> = {}, limit = 20, page = 1) => {
  const found = await payload.find({
    collection: 'projects',
    where: { and: [membershipWhere(memberId), ...Object.entries(extra).map(([field, value]) => ({ [field]: { equals: value } }))] },
    sort: '-updatedAt',
    limit,
    page,
    depth: 0,
    overrideAccess: true, // the reference answer, computed by the system
  })
  return { ids: found.docs.map((doc) => doc.id), totalDocs: found.totalDocs }
}
const answer = async (user: User, args: Record<string, unknown> = {}) => {
  const page = await projectService.findByUser({ actor: { payload, user }, ...args })
  return { ids: page.docs.map((doc) => doc.id), totalDocs: page.totalDocs }
}

describe('GET /api/v1/projects answers', () => {
  it('are each caller’s memberships: owner, collaborator, stranger, admin; filters and pages included', async () => {
    const { owner, collaborator, stranger, admin } = scenario.users as unknown as Record<string, User>
    for (const user of [owner, collaborator, stranger, admin]) expect(await answer(user), user.email).toEqual(await expected(user.id))
    expect((await answer(owner)).totalDocs).toBeGreaterThanOrEqual(5)
    expect((await answer(stranger)).ids).toContain(scenario.projectY)
    expect((await answer(stranger)).ids).not.toContain(scenario.projectX)
    expect((await answer(collaborator)).ids).toContain(scenario.projectX)
    // An admin reads every project, yet the list is still only the admin's own.
    expect((await answer(admin)).ids).toHaveLength(1)
    expect(await answer(owner, { genre: 'drama' })).toEqual(await expected(owner.id, { genre: 'drama' }))
    expect(await answer(owner, { limit: 2, page: 2 })).toEqual(await expected(owner.id, {}, 2, 2))
    expect(await answer(owner, { role: 'owned' })).toEqual(await expected(owner.id))
    expect((await answer(collaborator, { role: 'owned' })).ids).toEqual([])
    // Another member's list: narrowed by both (a stranger sees none of the owner's; the collaborator the shared one).
    expect((await answer(stranger, { userId: owner.id })).ids).toEqual([])
    expect(await answer(collaborator, { userId: owner.id })).toEqual(await expected(owner.id, { collaborators: collaborator.id }))
  })

  it('send the membership filter once, in the same number of commands', async () => {
    const owner = scenario.users.owner as unknown as User
    const client = payload.db.connection.getClient()
    const sent: { name: string; collection: unknown; body: string }[] = []
    const listener = (event: { commandName: string; command: Record<string, unknown> }) => {
      if (!['find', 'count', 'aggregate'].includes(event.commandName)) return
      sent.push({ name: event.commandName, collection: event.command[event.commandName], body: JSON.stringify(event.command) })
    }
    client.on('commandStarted', listener)
    try {
      await answer(owner)
    } finally {
      client.off('commandStarted', listener)
    }
    // The membership read of the read rule (memoised per request), then the page's find and its count.
    const onProjects = sent.filter((command) => command.collection === 'projects')
    expect(onProjects.length, JSON.stringify(onProjects.map(({ name }) => name))).toBeLessThanOrEqual(3)
    const listing = onProjects.filter((command) => command.body.includes('"limit"') || command.name !== 'find')
    for (const command of listing) expect(command.body.match(/"createdBy":\{/g) ?? [], command.body).toHaveLength(1)
  })

  it('give a worker key nothing', async () => {
    const worker = { ...scenario.users.worker, collection: 'users', _strategy: 'api-key' } as unknown as User
    // Refused outright (a key is no person, and the read rule admits no key to projects).
    await expect(projectService.findByUser({ actor: { payload, user: worker } })).rejects.toMatchObject({ status: 403 })
  })
})
