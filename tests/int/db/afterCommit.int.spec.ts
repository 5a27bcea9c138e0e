import type { Payload, PayloadRequest } from 'payload'

import { commitTransaction, killTransaction } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runAfterCommit } from '../../../src/db/afterCommit'
import { createTestPayload } from '../../helpers/payload'

/**
 * src/db/afterCommit.ts wraps the database adapter's commitTransaction/rollbackTransaction. That relies on three
 * facts of @payloadcms/db-mongodb and Payload core, any of which an upgrade may change silently: the adapter keeps
 * its open sessions in `db.sessions[transactionID]`, Payload commits through `payload.db.commitTransaction(id)` and
 * rolls back through `payload.db.rollbackTransaction(id)` (looked up on the adapter at call time). This test drives
 * Payload's own commit/kill utilities over a session shaped like the adapter's, so a change to any of them fails here.
 */
let payload: Payload
let cleanup: () => Promise<void>

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('after_commit'))
})
afterAll(async () => cleanup?.())

/** A session as the adapter stores it in `sessions` (a mongodb ClientSession's methods the adapter calls). */
function fakeSession(events: string[]) {
  return {
    inTransaction: () => true,
    commitTransaction: async () => void events.push('commit'),
    abortTransaction: async () => void events.push('abort'),
    endSession: async () => {},
  }
}

function openTransaction(id: string, events: string[]): PayloadRequest {
  const sessions = (payload.db as unknown as { sessions?: Record<string, unknown> }).sessions
  if (!sessions || typeof sessions !== 'object') {
    throw new Error('@payloadcms/db-mongodb no longer keeps `sessions` by transaction id: review src/db/afterCommit.ts')
  }
  sessions[id] = fakeSession(events)
  return { payload, transactionID: id } as unknown as PayloadRequest
}

describe('the database adapter shape afterCommit depends on', () => {
  it('has commit and rollback methods on the adapter object that Payload calls', () => {
    expect(typeof payload.db.commitTransaction).toBe('function')
    expect(typeof payload.db.rollbackTransaction).toBe('function')
    expect(typeof payload.db.beginTransaction).toBe('function')
  })

  it('runs queued tasks after the adapter committed, once per key', async () => {
    const events: string[] = []
    const req = openTransaction('tx-commit', events)
    await runAfterCommit({ req, key: 'episode:1', task: async () => void events.push('task-1') })
    await runAfterCommit({ req, key: 'episode:1', task: async () => void events.push('task-1-again') })
    await runAfterCommit({ req, key: 'project:1', task: async () => void events.push('task-2') })
    expect(events).toEqual([])

    await commitTransaction(req)
    expect(events).toEqual(['commit', 'task-1-again', 'task-2'])
  })

  it('drops queued tasks when the transaction is rolled back', async () => {
    const events: string[] = []
    const req = openTransaction('tx-rollback', events)
    await runAfterCommit({ req, key: 'episode:2', task: async () => void events.push('task') })

    await killTransaction(req)
    expect(events).toEqual(['abort'])

    // The same id committed later (it cannot be, but a leak would show here) runs nothing.
    const again = openTransaction('tx-rollback', events)
    await commitTransaction(again)
    expect(events).toEqual(['abort', 'commit'])
  })

  it('runs a task at once when the request has no transaction', async () => {
    const events: string[] = []
    await runAfterCommit({ req: { payload } as PayloadRequest, key: 'x', task: async () => void events.push('task') })
    expect(events).toEqual(['task'])
  })
})
