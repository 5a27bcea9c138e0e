import type { Payload } from 'payload'

import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'

import { defineAccessMatrix } from '../../helpers/accessMatrix'
import { type Scenario, seedScenario, type Transport } from '../../helpers/accessScenario'
import { localTransport } from '../../helpers/localTransport'
import { createTestPayload } from '../../helpers/payload'

// The policy table (src/access/policy.ts, mirrored by docs/ACCESS.md) through the Local API with overrideAccess: false.
let payload: Payload
let cleanup: () => Promise<void>
let scenario: Scenario
let transport: Transport
const uploads: string[] = []

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('access-matrix-local'))
  scenario = await seedScenario(payload)
  transport = localTransport(payload, scenario)
})

afterAll(async () => {
  if (payload) {
    const media = await payload.find({ collection: 'media', pagination: false, depth: 0 })
    uploads.push(...media.docs.flatMap((doc) => [doc.filename, ...Object.values(doc.sizes ?? {}).map((size: any) => size?.filename)]).filter(Boolean) as string[])
  }
  await cleanup?.()
  for (const file of uploads) rmSync(path.resolve(process.cwd(), 'media', file), { force: true })
})

defineAccessMatrix(() => ({ payload, scenario, transport }))
