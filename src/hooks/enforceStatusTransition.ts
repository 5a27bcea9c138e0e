import type { CollectionBeforeChangeHook } from 'payload'

import { mayChooseCreationStatus } from '../access/mayChooseCreationStatus'
import { assertCreationStatus, assertTransition, type StateMachine } from '../domain/statusMachines'
import { effectiveValue, getIn } from '../model/references'
import { ConflictError } from '../errors'
import { takeWriteTicket } from '../records/writeTickets'

/**
 * A beforeChange hook that holds the status at `path` to `machine`: a new document starts in the machine's initial
 * status unless an admin or an import with explicit rights creates it (mayChooseCreationStatus), and every update
 * follows the machine (409 naming the field on an illegal jump), see docs/DOMAIN.md.
 */
export function enforceStatusTransition<S extends string>({
  machine,
  path,
  arbitrate = false,
}: {
  machine: StateMachine<S>
  path: readonly string[]
  /**
   * Two status changes read from one state both pass their check, and the later write wins (on FerretDB, where no
   * update is atomic; approved → pending after reviewing → approved). With `arbitrate` a change takes the write
   * ticket of the state it read (the document's `updatedAt`) before its write; the second change from that state is
   * refused (409) and reads anew. (On MongoDB the two writes of the one document conflict anyway.)
   */
  arbitrate?: boolean
}): CollectionBeforeChangeHook {
  const field = path.join('.')
  // A value that is no status at all is the field validation's to refuse (400 naming the field, listing the options),
  // not a 409 about the machine.
  const isStatus = (value: unknown): value is S => typeof value === 'string' && Object.hasOwn(machine.transitions, value)
  return async ({ collection, data, originalDoc, operation, req }) => {
    if (operation === 'create') {
      const to = getIn(data, path)
      if (isStatus(to)) assertCreationStatus({ machine, field, to, mayChoose: mayChooseCreationStatus(req) })
      return data
    }
    if (operation !== 'update') return data
    const from = getIn(originalDoc, path)
    const to = effectiveValue({ data, originalDoc, path })
    if (isStatus(from) && isStatus(to)) assertTransition({ machine, field, from, to })
    if (arbitrate && from !== to && originalDoc?.id !== undefined) {
      const readAt = String(originalDoc.updatedAt)
      const isAbandoned = async () => {
        const stored = await req.payload.db.findOne<{ id: string | number; updatedAt?: string }>({ collection: collection.slug, where: { id: { equals: originalDoc.id } } })
        return String(stored?.updatedAt) === readAt
      }
      if (!(await takeWriteTicket(req, `${collection.slug}:${originalDoc.id}:${field}:${readAt}`, isAbandoned))) {
        throw new ConflictError({ message: `The ${machine.name} was changed by someone else meanwhile; reload and try again.`, details: { path: field } })
      }
    }
    return data
  }
}
