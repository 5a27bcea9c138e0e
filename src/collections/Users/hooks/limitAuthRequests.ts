import type { CollectionBeforeOperationHook, PayloadRequest } from 'payload'

import { isAdminUser } from '../../../model/roles'
import { relationId } from '../../../model/references'
import { clientIp } from '../../../lib/rateLimit/clientIp'
import { enforceRateLimit } from '../../../lib/rateLimit/consume'
import { beginLoginAttempt } from '../../../lib/rateLimit/loginGuard'
import { slugs } from '../../../model/slugs'
import { spendPasswordCheck } from '../passwordCheck'

/**
 * Payload answers a login for an address without an account before hashing anything, 3–5 times faster than a wrong
 * password: the time would tell which addresses have accounts. For a missing account the same hashing work is done
 * here first, so both take as long.
 */
async function equalizeMissingAccount({ req, email, password }: { req: PayloadRequest; email: unknown; password: unknown }) {
  if (typeof email !== 'string' || !email.trim()) return
  // System code: whether the account exists is never answered, it only decides the dummy work.
  const found = await req.payload.db.findOne({ collection: slugs.users, where: { email: { equals: email.trim().toLowerCase() } }, req })
  if (!found) await spendPasswordCheck(password)
}

/** Emails whose login is under way in this request; afterLogin removes them, the root afterError audits the rest. */

/**
 * Rate limits on the Users auth operations, for REST, GraphQL and the Local API alike (they all run the same
 * operations): failed-login lockout per account and per IP, registration per IP and per signed-in user, and
 * password reset per IP and per account.
 */
export const limitAuthRequests: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  const ip = req.headers ? clientIp(req.headers) : undefined
  switch (operation) {
    case 'login': {
      const email = args?.data?.email
      await beginLoginAttempt({ req, email })
      await equalizeMissingAccount({ req, email, password: args?.data?.password })
      const pending = req.context.pendingLogins ?? []
      req.context.pendingLogins = [...pending, typeof email === 'string' ? email.trim().toLowerCase() : '']
      break
    }
    case 'create': {
      // Registration through HTTP; admins creating accounts and server code are not limited.
      if (req.payloadAPI !== 'local' && !isAdminUser(req.user)) {
        await enforceRateLimit({ policy: 'registration', req, ip, user: relationId(req.user?.id) })
      }
      break
    }
    case 'forgotPassword': {
      const email = typeof args?.data?.email === 'string' ? args.data.email.trim().toLowerCase() : undefined
      await enforceRateLimit({ policy: 'passwordReset', req, ip, user: email })
      break
    }
    case 'resetPassword': {
      await enforceRateLimit({ policy: 'passwordReset', req, ip })
      break
    }
  }
  return args
}
