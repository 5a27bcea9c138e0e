import type { CollectionBeforeOperationHook } from 'payload'

import { isAdminUser, relationId } from '../../../access/utilities'
import { clientIp } from '../../../lib/rateLimit/clientIp'
import { enforceRateLimit } from '../../../lib/rateLimit/consume'
import { beginLoginAttempt } from '../../../lib/rateLimit/loginGuard'

/** Emails whose login is under way in this request; afterLogin removes them, the root afterError audits the rest. */
export const PENDING_LOGINS = 'pendingLogins'

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
      const pending = (req.context[PENDING_LOGINS] as string[] | undefined) ?? []
      req.context[PENDING_LOGINS] = [...pending, typeof email === 'string' ? email.trim().toLowerCase() : '']
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
