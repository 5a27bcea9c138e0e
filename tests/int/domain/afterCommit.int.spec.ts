import type { Payload, PayloadRequest } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runAfterCommit } from '../../../src/db/afterCommit'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * FerretDB has no transactions, so this file gives the adapter stand-in transaction calls (ids, commit, rollback;
 * the writes themselves run without a session) to check what happens on MongoDB with a replica set: derived
 * figures are recounted after the commit, once per document per transaction, and never after a rollback.
 */
let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
let userId: string
const events: string[] = []
let onCommit: (id: string | number) => Promise<void> = async () => {}

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('after-commit'))
  f = fixtures(payload)
  userId = (await f.user()).id
  let next = 0
  payload.db.beginTransaction = async () => `txn-${++next}`
  payload.db.commitTransaction = async (id) => {
    events.push(`commit ${String(await id)}`)
    await onCommit(await id)
  }
  payload.db.rollbackTransaction = async (id) => {
    events.push(`rollback ${String(await id)}`)
  }
})
afterAll(async () => cleanup?.())

const fakeReq = (transactionID?: string) => ({ payload, context: {}, transactionID }) as unknown as PayloadRequest

describe('runAfterCommit', () => {
  it('runs at once without a transaction', async () => {
    let ran = 0
    await runAfterCommit({ req: fakeReq(), key: 'k', task: async () => void ran++ })
    expect(ran).toBe(1)
  })

  it('runs after the commit, once per key, and drops the tasks of a rolled-back transaction', async () => {
    const ran: string[] = []
    await runAfterCommit({ req: fakeReq('t-a'), key: 'one', task: async () => void ran.push('a1') })
    await runAfterCommit({ req: fakeReq('t-a'), key: 'one', task: async () => void ran.push('a1-again') })
    await runAfterCommit({ req: fakeReq('t-a'), key: 'two', task: async () => void ran.push('a2') })
    await runAfterCommit({ req: fakeReq('t-b'), key: 'one', task: async () => void ran.push('b1') })
    expect(ran).toEqual([])
    await payload.db.rollbackTransaction('t-b')
    await payload.db.commitTransaction('t-a')
    expect(ran).toEqual(['a1-again', 'a2'])
    await payload.db.commitTransaction('t-b')
    expect(ran).toEqual(['a1-again', 'a2'])
  })
})

describe('derived figures in a transaction', () => {
  it('are recounted after the scene write commits, not inside its transaction', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    let countAtCommit: number | null | undefined
    onCommit = async () => {
      const stored = await payload.findByID({ collection: 'episodes', id: episode.id, depth: 0 })
      countAtCommit ??= stored.production?.sceneCount
    }
    events.length = 0
    await f.scene(project.id, episode.id, 1)
    onCommit = async () => {}
    expect(events[0]).toMatch(/^commit txn-/)
    // At the commit of the scene's transaction the episode still had its old figure; after it, the new one.
    expect(countAtCommit).toBe(0)
    const after = await payload.findByID({ collection: 'episodes', id: episode.id, depth: 0 })
    expect(after.production?.sceneCount).toBe(1)
  })
})
