import type { Payload, SanitizedConfig } from 'payload'

import { getPayload } from 'payload'

import type { PolicyName } from './policies'

import { clientIp } from './clientIp'
import { consumeRateLimit, tooManyRequestsResponse } from './consume'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response

/**
 * Wraps a Next.js route handler (search and similarity endpoints, GraphQL) in a policy: the caller's IP budget and,
 * when the request carries a valid session or API key, their user budget. Over budget it answers 429 with
 * Retry-After without calling the handler.
 */
export function withRateLimit<C>({
  policy,
  config,
  handler,
}: {
  policy: PolicyName
  config: Promise<SanitizedConfig> | SanitizedConfig
  handler: RouteHandler<C>
}): RouteHandler<C> {
  return async (request, context) => {
    const payload: Payload = await getPayload({ config })
    let user: string | undefined
    try {
      const auth = await payload.auth({ headers: request.headers })
      user = auth.user ? String(auth.user.id) : undefined
    } catch {
      user = undefined
    }
    const decision = await consumeRateLimit({ policy, ip: clientIp(request.headers), user })
    if (!decision.allowed) return tooManyRequestsResponse({ retryAfterSeconds: decision.retryAfterSeconds, policy })
    return handler(request, context)
  }
}
