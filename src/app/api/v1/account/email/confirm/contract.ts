import { emailConfirmedSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { confirmEmailChangeSchema } from '@/services/schemas/userSchemas'

/** The contract of /api/v1/account/email/confirm (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/account/email/confirm', {
  post: {
    isPublic: true,
    operationId: 'confirmEmailChange',
    summary: 'Make a requested new address the account address, with the token mailed to it (no session needed)',
    body: confirmEmailChangeSchema,
    response: { status: 200, schema: emailConfirmedSchema, description: 'The account now has this address' },
    errors: [400, 409, 413],
  },
})
