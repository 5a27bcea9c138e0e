import type { Payload, SanitizedConfig } from 'payload'

import { executeAuthStrategies, getPayload } from 'payload'

import type { PolicyName } from '../lib/rateLimit/policies'

import { RateLimitedError, toErrorResponse } from '../errors'
import { clientIp } from '../lib/rateLimit/clientIp'
import { consumeRateLimit } from '../lib/rateLimit/consume'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response

/**
 * Wraps a Next.js route handler (GraphQL, search endpoints) in a policy: the caller's IP budget and, when the
 * request carries a valid session or API key, their user budget. Over budget it answers 429 with Retry-After
 * without calling the handler. An error thrown by the handler (e.g. Payload's GraphQL handler refusing a body
 * that is not JSON) is answered by `renderError` instead of escaping as an empty 500.
 */
export function withRateLimit<C>({
  policy,
  config,
  handler,
  renderError = (err) => toErrorResponse(err),
}: {
  policy: PolicyName
  config: Promise<SanitizedConfig> | SanitizedConfig
  handler: RouteHandler<C>
  renderError?: (err: unknown) => Response
}): RouteHandler<C> {
  return async (request, context) => {
    const payload: Payload = await getPayload({ config })
    let user: string | undefined
    try {
      // The auth strategies alone (as /api/v1 does): payload.auth() would also build every collection's
      // permission map on each request.
      const auth = await executeAuthStrategies({ headers: request.headers, payload })
      user = auth.user ? String(auth.user.id) : undefined
    } catch {
      user = undefined
    }
    const decision = await consumeRateLimit({ policy, ip: clientIp(request.headers), user })
    if (!decision.allowed) return renderError(new RateLimitedError({ retryAfterSeconds: decision.retryAfterSeconds, policy }))
    try {
      return await handler(request, context)
    } catch (err) {
      if (!(typeof err === 'object' && err && 'status' in err && Number((err as { status: unknown }).status) < 500)) {
        payload.logger.error({ msg: 'Unhandled error in a rate-limited route', err })
      }
      return renderError(err)
    }
  }
}
