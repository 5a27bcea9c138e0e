import type { FieldAccess } from 'payload'

/** A field nobody writes through the API; only system code (overrideAccess: true) sets it. */
export const nobodyField: FieldAccess = () => false
