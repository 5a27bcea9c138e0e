import type { Payload } from 'payload'

import { describe, expect, it } from 'vitest'

import { accessPolicy, isAllowed as isAllowedByPolicy, isOffered, type Operation, type PolicySlug, principals, type Principal } from '../../src/access/policy'
import { slugs } from '../../src/model/slugs'
import {
  createData,
  deletable,
  expectedVisibility,
  type Outcome,
  refusalStatuses,
  type Scenario,
  type Transport,
  updateData,
} from './accessScenario'

/**
 * Registers one test per collection × principal that runs create, read one, list (+count), update and delete
 * through the transport and compares each outcome with the policy table (src/access/policy.ts = docs/ACCESS.md).
 */
export function defineAccessMatrix(get: () => { payload: Payload; scenario: Scenario; transport: Transport }) {
  const collections = Object.keys(accessPolicy) as PolicySlug[]
  describe.each(collections)('%s', (slug) => {
    it.each(principals)('%s', async (principal) => {
      const { payload, scenario, transport } = get()
      // What the transport does not offer (src/access/policy.ts `notOffered`) is refused for everyone there, with
      // whatever a missing route answers (Payload's 501 for disabled endpoints, GraphQL's unknown type).
      const isAllowed = (slug: PolicySlug, principal: Principal, operation: Operation) =>
        isAllowedByPolicy(slug, principal, operation) && isOffered(slug, transport.name, operation)
      const problems: string[] = []
      const check = (operation: string, expected: boolean, outcome: Outcome, isAllowedOutcome: (o: Outcome) => boolean = (o) => o.ok) => {
        const allowed = isAllowedOutcome(outcome)
        if (allowed !== expected) {
          problems.push(`${operation}: expected ${expected ? 'allowed' : 'refused'}, got ${outcome.ok ? 'allowed' : `${(outcome as any).status} ${(outcome as any).message ?? ''}`}`)
        } else if (!expected && !outcome.ok && !refusalStatuses.includes(outcome.status) && isOffered(slug, transport.name, operation as Operation)) {
          problems.push(`${operation}: refused with status ${outcome.status} (${outcome.message}), expected 401/403/404`)
        }
      }

      // create
      const data = await createData(slug, scenario)
      const created = await transport.create(slug, data, principal)
      // GraphQL cannot upload files: a media create that passed access fails on the missing file (400).
      const passedAccess = (o: Outcome): boolean => o.ok || (slug === slugs.media && transport.name === 'graphql' && o.status === 400)
      check('create', isAllowed(slug, principal, 'create'), created, passedAccess)
      if (!isAllowed(slug, principal, 'create') && !created.ok && slug !== slugs.users && slug !== slugs.auditLog) {
        const marker = Object.entries(data).find(([key, value]) => typeof value === 'string' && ['name', 'title', 'resolvedPrompt'].includes(key))
        if (marker) {
          const stored = await payload.count({ collection: slug as never, where: { [marker[0]]: { equals: marker[1] } } })
          if (stored.totalDocs !== 0) problems.push('create: refused but stored')
        }
      }

      // read one
      const target = scenario.targets[slug]
      const read = await transport.read(slug, target, principal)
      // Allowed means the target came back (Payload answers a preference "read" by key with 200 and no document).
      const returns = (id: string) => (o: Outcome) => o.ok && String(o.doc?.id) === id
      check('read', isAllowed(slug, principal, 'read'), read, returns(target))

      // list: exactly the readable rows, with matching totals; and the target filtered by id
      const list = await transport.list(slug, principal)
      if (principal === 'anonymous' || !list.ok) {
        if (list.ok && (list.ids?.length ?? 0) > 0) problems.push(`list: anonymous saw ${list.ids?.length} rows`)
      } else {
        const expected = await expectedVisibility(payload, slug, scenario, principal)
        const leaked = list.ids!.filter((id) => !expected.has(id))
        if (leaked.length) problems.push(`list: leaked ${leaked.length} rows`)
        if (list.totalDocs !== expected.size) problems.push(`list: totalDocs ${list.totalDocs}, expected ${expected.size}`)
        if (list.count !== undefined && list.count !== expected.size) problems.push(`count: ${list.count}, expected ${expected.size}`)
        if (list.ids!.length !== Math.min(expected.size, 100)) problems.push(`list: ${list.ids!.length} rows on the page, expected ${Math.min(expected.size, 100)}`)
      }
      const filtered = await transport.list(slug, principal, { id: { equals: target } })
      const sawTarget = filtered.ok && (filtered.ids ?? []).includes(target)
      if (sawTarget !== isAllowed(slug, principal, 'list')) problems.push(`list: target ${sawTarget ? 'shown' : 'hidden'}, expected ${isAllowed(slug, principal, 'list') ? 'shown' : 'hidden'}`)

      // update
      const change = updateData(slug)
      const updated = await transport.update(slug, target, change.data, principal)
      check('update', isAllowed(slug, principal, 'update'), updated)
      const after = await payload.findByID({ collection: slug as never, id: target, depth: 0 })
      const applied = change.read(after) === change.value
      if (applied !== isAllowed(slug, principal, 'update')) problems.push(`update: change ${applied ? 'stored' : 'not stored'}`)

      // delete
      const victim = await deletable(payload, slug, scenario, principal)
      const deleted = await transport.delete(slug, victim, principal)
      check('delete', isAllowed(slug, principal, 'delete'), deleted, returns(victim))
      const remains = await payload.findByID({ collection: slug as never, id: victim, depth: 0, disableErrors: true })
      if (Boolean(remains) === isAllowed(slug, principal, 'delete')) problems.push(`delete: document ${remains ? 'still there' : 'gone'}`)

      expect(problems, `${transport.name} ${slug} as ${principal as Principal}`).toEqual([])
    })
  })
}
