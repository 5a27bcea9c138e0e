import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { clearFaults, pauseAt } from '../../../src/db/faultInjection'
import { promptTemplateService } from '../../../src/services/promptTemplateService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, item 8: two saves of one prompt template both read `_version` N and both stored N+1 — two entries of
 * the version history under one number. The second save to take the number is now refused (409) before it writes.
 */
let payload: Payload
let cleanup: () => Promise<void>
let producer: User
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('template-versions'))
  const make = fixtures(payload)
  await make.user() // the first account is the admin
  producer = (await make.user({ role: 'producer' })) as User
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

describe('two saves of one template at once', () => {
  it('never store two versions under one number: the later save is refused with 409', async () => {
    const template = await promptTemplateService.create({ actor: as(producer), data: { name: 'Logline', template: 'Logline A' } })
    // A has read version 1 and is about to write version 2; B saves in between.
    const paused = pauseAt({ collection: 'prompt-templates', command: ['findOneAndUpdate', 'updateOne'] })
    const first = promptTemplateService.update({ actor: as(producer), id: template.id, data: { template: 'Logline B' } })
    await paused.reached
    paused.remove()
    const second = await promptTemplateService
      .update({ actor: as(producer), id: template.id, data: { template: 'Logline C' } })
      .then(
        () => undefined,
        (err: unknown) => err,
      )
    paused.release()
    await first

    const { docs } = await payload.findVersions({ collection: 'prompt-templates', where: { parent: { equals: template.id } }, limit: 100 })
    const numbers = docs.map((doc) => doc.version._version).sort()
    expect(new Set(numbers).size, `version numbers ${numbers.join(', ')}`).toBe(numbers.length)
    expect(second).toMatchObject({ status: 409 })
    const stored = await payload.findByID({ collection: 'prompt-templates', id: template.id })
    expect(stored).toMatchObject({ _version: 2, template: 'Logline B' })
    // The next save takes the next number.
    const third = await promptTemplateService.update({ actor: as(producer), id: template.id, data: { template: 'Logline D' } })
    expect(third._version).toBe(3)
  }, 60_000)
})
