import type { Endpoint } from 'payload'

import { headersWithCors, logoutOperation } from 'payload'
import { generateExpiredPayloadCookie } from 'payload/shared'

import { slugs } from '../../../model/slugs'
import { refuseApiKeyOnAccount } from '../hooks/refuseApiKeys'

/**
 * POST /api/users/logout, answered before Payload's own: signing out without a session (the admin sends its logout
 * twice) is already done — 200 with an expired cookie, not a 400 with a stack in the log.
 */
export const logoutOnce: Endpoint = {
  path: '/logout',
  method: 'post',
  handler: async (req) => {
    const collection = req.payload.collections[slugs.users]
    refuseApiKeyOnAccount(req)
    const isSignedIn = Boolean(req.user)
    if (isSignedIn) {
      const isLoggedOut = await logoutOperation({ allSessions: req.searchParams.get('allSessions') === 'true', collection, req })
      if (!isLoggedOut) return Response.json({ message: req.t('error:logoutFailed') }, { status: 400 })
    }
    const headers = headersWithCors({ headers: new Headers(), req })
    headers.set(
      'Set-Cookie',
      generateExpiredPayloadCookie({
        collectionAuthConfig: collection.config.auth,
        config: req.payload.config,
        cookiePrefix: req.payload.config.cookiePrefix,
      }),
    )
    return Response.json({ message: isSignedIn ? req.t('authentication:logoutSuccessful') : 'Already signed out.' }, { headers })
  },
}
