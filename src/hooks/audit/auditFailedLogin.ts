import type { AfterErrorHook } from 'payload'

import { AuthenticationError, LockedAuth, UnverifiedEmail } from 'payload'

import { slugs } from '../../model/slugs'
import { RateLimitedError } from '../../errors'
import { recordAudit } from '../../audit/recordAudit'

// instanceof, not error names: the production build minifies class names.
const isLoginFailure = (error: unknown) =>
  error instanceof AuthenticationError || error instanceof LockedAuth || error instanceof UnverifiedEmail || error instanceof RateLimitedError

/**
 * Root afterError hook (REST and GraphQL): a login that ended in an error is audited as `login-failed` with the
 * email that was tried. The login hooks left the email in req.context; the entry is written outside the failed
 * operation's transaction.
 */
export const auditFailedLogin: AfterErrorHook = async ({ error, req }) => {
  const pending = req?.context?.pendingLogins
  if (!req || !pending?.length) return
  const original = (error as { originalError?: Error }).originalError ?? error
  if (!isLoginFailure(original)) return
  const [email, ...rest] = pending
  req.context.pendingLogins = rest
  try {
    await recordAudit({
      req,
      entry: { operation: 'login-failed', collection: slugs.users, email: email || undefined },
      withRequest: false,
    })
  } catch (err) {
    req.payload.logger.error({ msg: 'Could not audit a failed login', err })
  }
}
