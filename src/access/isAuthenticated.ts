import type { Access } from 'payload'

/** Any signed-in caller: a person or an API key. */
export const isAuthenticated: Access = ({ req: { user } }) => Boolean(user)
