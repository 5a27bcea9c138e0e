import type { Payload } from 'payload'

import type { Principal } from '../../src/access/policy'
import type { Outcome, Scenario, Transport } from './accessScenario'

import { slugs } from '../../src/model/slugs'
import { pngFile } from './files'
import { loose } from './loose'

const failure = (error: any): Outcome => ({ ok: false, status: Number(error?.status ?? 500), message: String(error?.message ?? error) })

/** The Local API on behalf of a principal: `user` and `overrideAccess: false`, as services call it. */
export function localTransport(payload: Payload, scenario: Scenario): Transport {
  const as = (principal: Principal) => {
    if (principal === 'anonymous') return null
    const user = scenario.users[principal]
    // The worker is the API-key principal: Payload marks such a request's user with `_strategy: 'api-key'`.
    return { ...user, collection: 'users', _strategy: principal === 'worker' ? 'api-key' : 'local-jwt' }
  }
  const run = async (action: () => Promise<any>): Promise<Outcome> => {
    try {
      return { ok: true, doc: await action() }
    } catch (error) {
      return failure(error)
    }
  }
  return {
    name: 'local',
    create: async (slug, data, principal) => {
      const file = slug === slugs.media ? await pngFile(8, 8, 'created.png') : undefined
      return run(() => loose(payload).create({ collection: slug as never, data: data as never, file, user: as(principal), overrideAccess: false, depth: 0 }))
    },
    read: (slug, id, principal) => run(() => payload.findByID({ collection: slug as never, id, user: as(principal), overrideAccess: false, depth: 0 })),
    list: async (slug, principal, where) => {
      try {
        const result = await payload.find({ collection: slug as never, where: where as never, user: as(principal), overrideAccess: false, depth: 0, limit: 100 })
        const { totalDocs: count } = await payload.count({ collection: slug as never, where: where as never, user: as(principal), overrideAccess: false })
        return { ok: true, ids: result.docs.map((doc: any) => String(doc.id)), totalDocs: result.totalDocs, count }
      } catch (error) {
        return failure(error)
      }
    },
    update: (slug, id, data, principal) =>
      run(() => loose(payload).update({ collection: slug as never, id, data: data as never, user: as(principal), overrideAccess: false, depth: 0 })),
    delete: (slug, id, principal) => run(() => payload.delete({ collection: slug as never, id, user: as(principal), overrideAccess: false, depth: 0 })),
  }
}
