import type { CollectionBeforeChangeHook } from 'payload'

import { mayChooseCreationStatus } from '../access/mayChooseCreationStatus'
import { assertCreationStatus, assertTransition, type StateMachine } from '../domain/statusMachines'
import { effectiveValue, getIn } from '../model/references'

/**
 * A beforeChange hook that holds the status at `path` to `machine`: a new document starts in the machine's initial
 * status unless an admin or an import with explicit rights creates it (mayChooseCreationStatus), and every update
 * follows the machine (409 naming the field on an illegal jump), see docs/DOMAIN.md.
 */
export function enforceStatusTransition<S extends string>({
  machine,
  path,
}: {
  machine: StateMachine<S>
  path: readonly string[]
}): CollectionBeforeChangeHook {
  const field = path.join('.')
  // A value that is no status at all is the field validation's to refuse (400 naming the field, listing the options),
  // not a 409 about the machine.
  const isStatus = (value: unknown): value is S => typeof value === 'string' && Object.hasOwn(machine.transitions, value)
  return ({ data, originalDoc, operation, req }) => {
    if (operation === 'create') {
      const to = getIn(data, path)
      if (isStatus(to)) assertCreationStatus({ machine, field, to, mayChoose: mayChooseCreationStatus(req) })
      return data
    }
    if (operation !== 'update') return data
    const from = getIn(originalDoc, path)
    const to = effectiveValue({ data, originalDoc, path })
    if (isStatus(from) && isStatus(to)) assertTransition({ machine, field, from, to })
    return data
  }
}
