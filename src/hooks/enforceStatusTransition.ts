import type { CollectionBeforeChangeHook } from 'payload'

import { assertTransition, type StateMachine } from '../domain/statusMachines'
import { effectiveValue, getIn } from '../domain/references'

/**
 * A beforeChange hook that holds the status at `path` to `machine` on every update (409 on an illegal jump).
 * Creation may start in any status (imports, seeding), see docs/DOMAIN.md.
 */
export function enforceStatusTransition<S extends string>({
  machine,
  path,
}: {
  machine: StateMachine<S>
  path: readonly string[]
}): CollectionBeforeChangeHook {
  return ({ data, originalDoc, operation }) => {
    if (operation !== 'update') return data
    const from = getIn(originalDoc, path) as S | undefined
    const to = effectiveValue({ data, originalDoc, path }) as S | undefined
    if (from && to) assertTransition({ machine, from, to })
    return data
  }
}
