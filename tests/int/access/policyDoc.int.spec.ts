import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'

import { accessPolicy, renderPolicyTable } from '../../../src/access/policy'
import { internalSlugs, slugs } from '../../../src/model/slugs'

it('docs/ACCESS.md carries exactly the policy table the tests assert', () => {
  const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/ACCESS.md'), 'utf8')
  const table = doc.split('<!-- policy-table:start -->')[1]?.split('<!-- policy-table:end -->')[0]?.trim()
  expect(table).toBe(renderPolicyTable())
})

it('covers every collection, Payload\'s own included (the running config: tests/int/access/internalCollections.int.spec.ts)', () => {
  expect(Object.keys(accessPolicy).sort()).toEqual([...Object.values(slugs), ...Object.values(internalSlugs)].sort())
})
