import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { resetEmbeddedSizeWarning, warnOversizedEmbeddedCollections } from '../../../src/db/embeddedSizeWarning'
import { engineOfDb } from '../../../src/db/engine'
import { createTestPayload } from '../../helpers/payload'

/** The dev server's warning when a collection outgrows the embedded default (a small limit stands in for 5,000). */
let payload: Payload
let cleanup: () => Promise<void>

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('embedded-size'))
  await payload.db.connection.db!.collection('size-probe').insertMany(Array.from({ length: 6 }, (_, i) => ({ i })))
}, 120_000)
afterAll(async () => cleanup?.())

describe('warning when a collection outgrows the embedded default', () => {
  it('warns once on FerretDB with the collection and its size; never on MongoDB', async () => {
    const engine = await engineOfDb(payload.db.connection.db!)
    const warn = vi.spyOn(payload.logger, 'warn')
    resetEmbeddedSizeWarning()
    const oversized = await warnOversizedEmbeddedCollections(payload, engine, 5)
    if (engine.kind === 'mongodb') {
      // MongoDB serves filters from its indexes: no limit to warn about.
      expect(oversized).toEqual([])
      expect(warn).not.toHaveBeenCalled()
      return
    }
    expect(oversized).toEqual([{ collection: 'size-probe', documents: 6 }])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String((warn.mock.calls[0][0] as unknown as { msg: string }).msg)).toMatch(/past 5 documents in size-probe \(6 documents\).*MongoDB/)
    // Once per process: a second look says nothing more.
    expect(await warnOversizedEmbeddedCollections(payload, engine, 5)).toEqual([])
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('stays quiet below the limit', async () => {
    const engine = await engineOfDb(payload.db.connection.db!)
    resetEmbeddedSizeWarning()
    expect(await warnOversizedEmbeddedCollections(payload, engine, 1_000)).toEqual([])
  })
})
