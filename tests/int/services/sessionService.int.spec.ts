import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { SESSION_HISTORY_CAP } from '../../../src/records/sessionMessages'
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors'
import { sessionService } from '../../../src/services/sessionService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** The sessions API through the service: messages, cursor, state machine, choices, same-project context. */
let payload: Payload
let cleanup: () => Promise<void>
let admin: User, owner: User, collaborator: User, stranger: User
let projectId: string, otherProjectId: string
let episodeId: string, sceneId: string, characterId: string, foreignEpisodeId: string, foreignCharacterId: string
const as = (user: User | null): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('session_service'))
  const make = fixtures(payload)
  admin = (await make.user()) as User
  owner = (await make.user()) as User
  collaborator = (await make.user()) as User
  stranger = (await make.user()) as User
  projectId = (await make.project(owner.id, { collaborators: [collaborator.id] })).id
  otherProjectId = (await make.project(stranger.id)).id
  episodeId = (await make.episode(projectId, 1)).id
  sceneId = (await make.scene(projectId, episodeId, 1)).id
  characterId = (await make.character(projectId)).id
  foreignEpisodeId = (await make.episode(otherProjectId, 1)).id
  foreignCharacterId = (await make.character(otherProjectId)).id
})
afterAll(async () => cleanup?.())

const start = () => sessionService.start({ actor: as(owner), data: { project: projectId } })

describe('messages', () => {
  it('20 concurrent appends all land, numbered 1…20 in one total order', async () => {
    const session = await start()
    const appended = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: `m${i}` })),
    )
    expect(appended.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const all = await sessionService.findMessages({ actor: as(owner), sessionId: session.id, limit: 100 })
    expect(all.docs).toHaveLength(20)
    expect(new Set(all.docs.map((m) => m.content)).size).toBe(20)
    expect(all.docs.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i))
    expect(all.nextCursor).toBeNull()
  })

  it('pages newest first by cursor, and the session keeps a copy of the latest messages only', async () => {
    const session = await start()
    for (let i = 1; i <= SESSION_HISTORY_CAP + 5; i++) {
      await sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: i % 2 ? 'user' : 'assistant', content: `n${i}` })
    }
    const first = await sessionService.findMessages({ actor: as(owner), sessionId: session.id, limit: 20 })
    expect(first.docs.map((m) => m.content).slice(0, 2)).toEqual([`n${SESSION_HISTORY_CAP + 5}`, `n${SESSION_HISTORY_CAP + 4}`])
    const seen = [...first.docs]
    let cursor = first.nextCursor
    while (cursor) {
      const page = await sessionService.findMessages({ actor: as(owner), sessionId: session.id, limit: 20, before: Number(cursor) })
      seen.push(...page.docs)
      cursor = page.nextCursor
    }
    expect(seen.map((m) => m.seq)).toEqual(Array.from({ length: SESSION_HISTORY_CAP + 5 }, (_, i) => SESSION_HISTORY_CAP + 5 - i))

    const detail = await sessionService.findWithMessages({ actor: as(owner), id: session.id })
    expect(detail.messages.docs).toHaveLength(20)
    expect(detail.conversationHistory).toHaveLength(SESSION_HISTORY_CAP)
    expect(detail.conversationHistory?.[0]?.content).toBe('n6')
    expect(detail.conversationHistory?.at(-1)?.content).toBe(`n${SESSION_HISTORY_CAP + 5}`)
  })

  it('only the session user and admins read or append; a message never names another project', async () => {
    const session = await start()
    await sessionService.appendMessage({ actor: as(admin), sessionId: session.id, role: 'system', content: 'hello' })
    for (const other of [collaborator, stranger]) {
      await expect(sessionService.appendMessage({ actor: as(other), sessionId: session.id, role: 'user', content: 'x' })).rejects.toBeInstanceOf(NotFoundError)
      await expect(sessionService.findMessages({ actor: as(other), sessionId: session.id })).rejects.toBeInstanceOf(NotFoundError)
    }
    const refused = await sessionService
      .appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'look', metadata: { episode: foreignEpisodeId, note: 'free' } })
      .catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ValidationError)
    expect((refused as ValidationError).issues).toEqual([{ path: 'metadata.episode', message: "Not an episode of this session's project." }])
    expect(JSON.stringify(refused)).not.toContain(otherProjectId)
    const ok = await sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'look', metadata: { episode: episodeId } })
    expect(ok.seq).toBe(2)
    await expect(
      sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'x', metadata: { $where: 1 } }),
    ).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('state machine', () => {
  it('active ⇄ paused, then completed for good (409 on reopening or writing)', async () => {
    const session = await start()
    expect(session.sessionState).toBe('active')
    expect((await sessionService.patch({ actor: as(owner), id: session.id, data: { sessionState: 'paused' } })).sessionState).toBe('paused')
    expect((await sessionService.patch({ actor: as(owner), id: session.id, data: { sessionState: 'active' } })).sessionState).toBe('active')
    expect((await sessionService.patch({ actor: as(owner), id: session.id, data: { sessionState: 'completed' } })).sessionState).toBe('completed')
    await expect(sessionService.patch({ actor: as(owner), id: session.id, data: { sessionState: 'active' } })).rejects.toMatchObject({ status: 409 })
    await expect(sessionService.patch({ actor: as(owner), id: session.id, data: { currentStep: 'more' } })).rejects.toBeInstanceOf(ConflictError)
    await expect(sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'x' })).rejects.toBeInstanceOf(ConflictError)
    // The same machine holds for writers outside the service (admin, REST): only the state is checked there.
    await expect(payload.update({ collection: 'sessions', id: session.id, data: { sessionState: 'paused' } })).rejects.toMatchObject({ status: 409 })

    const failing = await start()
    await sessionService.patch({ actor: as(owner), id: failing.id, data: { sessionState: 'error' } })
    await expect(sessionService.patch({ actor: as(owner), id: failing.id, data: { sessionState: 'paused' } })).rejects.toMatchObject({ status: 409 })
  })
})

describe('context', () => {
  it('takes documents of the session project only, merged field by field', async () => {
    const session = await start()
    const patched = await sessionService.patch({
      actor: as(owner),
      id: session.id,
      data: { currentStep: 'casting', contextData: { currentEpisode: episodeId, currentScene: sceneId, workflowState: { step: 2 } } },
    })
    expect(patched.contextData).toMatchObject({ currentEpisode: episodeId, currentScene: sceneId, workflowState: { step: 2 } })
    const merged = await sessionService.patch({ actor: as(owner), id: session.id, data: { contextData: { focusCharacter: characterId } } })
    expect(merged.contextData).toMatchObject({ currentEpisode: episodeId, focusCharacter: characterId })

    const refused = await sessionService
      .patch({ actor: as(owner), id: session.id, data: { contextData: { focusCharacter: foreignCharacterId, currentScene: '0123456789abcdef01234567' } } })
      .catch((err: unknown) => err as { status: number; data: { errors: { path: string; message: string }[] } })
    expect(refused).toMatchObject({ status: 400 })
    expect((refused as { data: { errors: { path: string }[] } }).data.errors.map((e) => e.path).sort()).toEqual([
      'contextData.currentScene',
      'contextData.focusCharacter',
    ])
    expect(JSON.stringify((refused as { data: unknown }).data)).not.toContain(otherProjectId)
    expect((await sessionService.findById({ actor: as(owner), id: session.id })).contextData?.focusCharacter).toBe(characterId)
    await expect(sessionService.patch({ actor: as(stranger), id: session.id, data: { currentStep: 'x' } })).rejects.toBeInstanceOf(NotFoundError)
    await expect(sessionService.start({ actor: as(stranger), data: { project: projectId } })).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('choices', () => {
  it('offer → the session awaits; a pick is recorded as a message once; a second pick is 409', async () => {
    const session = await start()
    const offered = await sessionService.offerChoices({
      actor: as(owner),
      sessionId: session.id,
      choices: [
        { choiceId: 'noir', label: 'Go noir', action: 'set-tone', metadata: { episode: episodeId } },
        { choiceId: 'bright', label: 'Go bright', action: 'set-tone' },
      ],
    })
    expect(offered.awaitingUserInput).toBe(true)
    expect(offered.lastChoices?.map((c) => c.choiceId)).toEqual(['noir', 'bright'])
    await expect(sessionService.pickChoice({ actor: as(owner), sessionId: session.id, choiceId: 'sepia' })).rejects.toBeInstanceOf(NotFoundError)

    const picks = await Promise.allSettled([
      sessionService.pickChoice({ actor: as(owner), sessionId: session.id, choiceId: 'noir' }),
      sessionService.pickChoice({ actor: as(owner), sessionId: session.id, choiceId: 'bright' }),
    ])
    const won = picks.filter((p) => p.status === 'fulfilled')
    expect(won).toHaveLength(1)
    expect((picks.find((p) => p.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
    const { message, session: after } = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof sessionService.pickChoice>>>).value
    expect(message).toMatchObject({ role: 'user', metadata: { choice: { action: 'set-tone' } } })
    expect(after.awaitingUserInput).toBe(false)
    expect(after.lastChoices).toEqual([])
    const messages = await sessionService.findMessages({ actor: as(owner), sessionId: session.id })
    expect(messages.docs.map((m) => m.content)).toEqual([message.content])
    await expect(sessionService.pickChoice({ actor: as(owner), sessionId: session.id, choiceId: 'noir' })).rejects.toBeInstanceOf(ConflictError)
  })

  it('refuses duplicate choice ids and choices naming another project', async () => {
    const session = await start()
    await expect(
      sessionService.offerChoices({ actor: as(owner), sessionId: session.id, choices: [{ choiceId: 'a', label: 'A', action: 'x' }, { choiceId: 'a', label: 'B', action: 'y' }] }),
    ).rejects.toBeInstanceOf(ValidationError)
    const refused = await sessionService
      .offerChoices({ actor: as(owner), sessionId: session.id, choices: [{ choiceId: 'a', label: 'A', action: 'x', metadata: { character: foreignCharacterId } }] })
      .catch((err: unknown) => err as { status: number; data: { errors: { path: string }[] } })
    expect(refused).toMatchObject({ status: 400 })
    expect((refused as { data: { errors: { path: string }[] } }).data.errors.map((e) => e.path)).toEqual(['lastChoices.0.metadata.character'])
    expect((await sessionService.findById({ actor: as(owner), id: session.id })).awaitingUserInput).toBe(false)
  })
})

describe('deleting a session', () => {
  it('removes its messages', async () => {
    const session = await start()
    await sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'bye' })
    await sessionService.delete({ actor: as(owner), id: session.id })
    expect(await payload.db.connection.db!.collection('session-messages').countDocuments({ session: session.id })).toBe(0)
  })
})
