import type { Access } from 'payload'

/** Nobody through the API; only system code (overrideAccess: true) may do this. */
export const nobody: Access = () => false
