import type { GraphQLInfo, PayloadRequest, SanitizedConfig } from 'payload'

import { executeAuthStrategies, getPayload } from 'payload'

import { isFieldValidationError } from '../../errors'
import { isAdminUser } from '../../model/roles'
import { slugs } from '../../model/slugs'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response

/** What every self-registration answers, whether or not the address already had an account. */
export const REGISTRATION_ACCEPTED_MESSAGE =
  'Registration received. If this address had no account, it has one now: sign in with it and the password you chose.'

const registrationPath = `/api/${slugs.users}`

type Issue = { path?: string; message?: string }

/** Payload's field errors of a create that collided with an existing account's email (the unique index), only. */
const isTakenEmailIssues = (issues: Issue[]): boolean =>
  issues.length > 0 && issues.every((issue) => issue.path === 'email' && /unique|already registered/i.test(issue.message ?? ''))

/** Payload's REST answer to such a create. */
async function isTakenEmail(response: Response): Promise<boolean> {
  if (response.status !== 400) return false
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { errors?: { data?: { errors?: Issue[] } }[] } | null
  return isTakenEmailIssues(body?.errors?.flatMap((error) => error.data?.errors ?? []) ?? [])
}

/**
 * Self-registration (POST /api/users by anyone but an admin) answers 202 with the same body whether the address is
 * new or already registered, so it cannot be used to learn which addresses have accounts (docs/ACCESS.md). A
 * malformed email or a weak password still answers 400: that says nothing about existing accounts. Admins creating
 * accounts get Payload's usual 201 with the document.
 */
export function uniformRegistration<C>({
  config,
  handler,
}: {
  config: Promise<SanitizedConfig> | SanitizedConfig
  handler: RouteHandler<C>
}): RouteHandler<C> {
  return async (request, context) => {
    if (request.method !== 'POST' || new URL(request.url).pathname.replace(/\/+$/, '') !== registrationPath) {
      return handler(request, context)
    }
    const payload = await getPayload({ config })
    const { user } = await executeAuthStrategies({ headers: request.headers, payload }).catch(() => ({ user: null }))
    if (isAdminUser(user)) return handler(request, context)
    const response = await handler(request, context)
    if (response.status === 201 || (await isTakenEmail(response))) {
      return Response.json({ message: REGISTRATION_ACCEPTED_MESSAGE }, { status: 202, headers: { 'cache-control': 'no-store' } })
    }
    return response
  }
}

type Resolver = (source: unknown, args: unknown, context: { req: PayloadRequest }, info: unknown) => Promise<unknown>

/**
 * GraphQL's `createUser`, for `graphQL.mutations` in the Payload config: by anyone but an admin it resolves to
 * `null` without errors whether the address was new (the account is created) or already registered (nothing is
 * stored), the GraphQL form of the REST 202 above — sign in to use the account. Other refusals (a malformed email, a
 * weak password, a rate limit) stay errors. Admins get Payload's resolver unchanged.
 */
export function uniformGraphQLRegistration(info: GraphQLInfo): Record<string, unknown> {
  const createUser = info.Mutation.fields[`create${singularName(info)}`] as { resolve: Resolver } | undefined
  if (!createUser) return {}
  const resolve: Resolver = async (source, args, context, resolveInfo) => {
    if (isAdminUser(context.req.user)) return createUser.resolve(source, args, context, resolveInfo)
    try {
      await createUser.resolve(source, args, context, resolveInfo)
    } catch (error) {
      const issues = isFieldValidationError(error) ? ((error.data as { errors?: Issue[] } | undefined)?.errors ?? []) : []
      if (!isTakenEmailIssues(issues)) throw error
    }
    return null
  }
  return { [`create${singularName(info)}`]: { ...createUser, resolve } }
}

/** The GraphQL singular name Payload gives the users collection (`User`). */
function singularName(info: GraphQLInfo): string {
  return (info.collections[slugs.users]?.graphQL as { singularName?: string } | undefined)?.singularName ?? 'User'
}
