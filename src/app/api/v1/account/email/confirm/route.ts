import type { ConfirmEmailChangeDTO } from '@/services/schemas/userSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { userService } from '@/services/userService'

import { contract } from './contract'

/** POST /api/v1/account/email/confirm {token} — the token mailed to a new address makes it the account's address. */
export const POST = apiRoute(({ actor, body }) => userService.confirmEmailChange(serviceArgs<ConfirmEmailChangeDTO>(body, { actor })), { contract: contract.operations.post })

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
