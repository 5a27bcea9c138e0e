import type { PolicySlug, Principal } from '../../src/access/policy'
import type { Outcome, Scenario, Transport } from './accessScenario'

import { internalSlugs, slugs } from '../../src/model/slugs'
import { pngFile } from './files'

export type Credentials = Partial<Record<Principal, string>>

/** Signs every principal in over REST (JWT) and adds the worker's API key: the Authorization header each sends. */
export async function signIn(url: string, scenario: Scenario): Promise<Credentials> {
  const headers: Credentials = { worker: `users API-Key ${scenario.apiKey}` }
  for (const principal of ['owner', 'collaborator', 'invitee', 'stranger', 'producer', 'admin'] as const) {
    const response = await fetch(`${url}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: scenario.users[principal].email, password: scenario.password }),
    })
    const body = await response.json()
    if (!response.ok) throw new Error(`login of ${principal} failed: ${response.status} ${JSON.stringify(body)}`)
    headers[principal] = `JWT ${body.token}`
  }
  return headers
}

const authOf = (credentials: Credentials, principal: Principal): Record<string, string> =>
  credentials[principal] ? { authorization: credentials[principal]! } : {}

function whereQuery(where: Record<string, unknown> | undefined, prefix = 'where'): string[] {
  if (!where) return []
  return Object.entries(where).flatMap(([key, value]) =>
    value && typeof value === 'object' ? whereQuery(value as Record<string, unknown>, `${prefix}[${key}]`) : [`${encodeURIComponent(`${prefix}[${key}]`)}=${encodeURIComponent(String(value))}`],
  )
}

async function outcomeOf(response: Response): Promise<Outcome & { body?: any }> {
  const text = await response.text()
  const body = text ? JSON.parse(text) : undefined
  if (response.ok) return { ok: true, doc: body?.doc ?? body, body }
  return { ok: false, status: response.status, message: body?.errors?.[0]?.message }
}

/** Payload's REST API over HTTP. */
export function restTransport(url: string, credentials: Credentials): Transport {
  const send = (principal: Principal, path: string, init: RequestInit = {}) =>
    fetch(`${url}/api${path}`, { ...init, headers: { ...authOf(credentials, principal), ...(init.headers as Record<string, string>) } })
  const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return {
    name: 'rest',
    create: async (slug, data, principal) => {
      if (slug === slugs.media) {
        const file = await pngFile(8, 8, 'rest-upload.png')
        const form = new FormData()
        form.append('file', new Blob([new Uint8Array(file.data)], { type: file.mimetype }), file.name)
        form.append('_payload', JSON.stringify(data))
        return outcomeOf(await send(principal, `/${slug}?depth=0`, { method: 'POST', body: form }))
      }
      return outcomeOf(await send(principal, `/${slug}?depth=0`, json('POST', data)))
    },
    read: async (slug, id, principal) => outcomeOf(await send(principal, `/${slug}/${id}?depth=0`)),
    list: async (slug, principal, where) => {
      const query = whereQuery(where).join('&')
      const list = await outcomeOf(await send(principal, `/${slug}?depth=0&limit=100${query ? `&${query}` : ''}`))
      if (!list.ok) return list
      const count = await outcomeOf(await send(principal, `/${slug}/count${query ? `?${query}` : ''}`))
      return { ok: true, ids: list.body.docs.map((doc: any) => String(doc.id)), totalDocs: list.body.totalDocs, count: count.ok ? count.body.totalDocs : -1 }
    },
    update: async (slug, id, data, principal) => outcomeOf(await send(principal, `/${slug}/${id}?depth=0`, json('PATCH', data))),
    delete: async (slug, id, principal) => outcomeOf(await send(principal, `/${slug}/${id}`, { method: 'DELETE' })),
  }
}

/** GraphQL names Payload derives from the slugs (singular, plural). */
export const graphQLNames: Record<PolicySlug, { one: string; many: string; count: string }> = {
  [slugs.users]: { one: 'User', many: 'Users', count: 'countUsers' },
  [slugs.projects]: { one: 'Project', many: 'Projects', count: 'countProjects' },
  [slugs.episodes]: { one: 'Episode', many: 'Episodes', count: 'countEpisodes' },
  [slugs.characters]: { one: 'Character', many: 'Characters', count: 'countCharacters' },
  [slugs.scenes]: { one: 'Scene', many: 'Scenes', count: 'countScenes' },
  [slugs.media]: { one: 'Media', many: 'allMedia', count: 'countallMedia' },
  [slugs.tasks]: { one: 'Task', many: 'Tasks', count: 'countTasks' },
  [slugs.sessions]: { one: 'Session', many: 'Sessions', count: 'countSessions' },
  [slugs.promptTemplates]: { one: 'PromptTemplate', many: 'PromptTemplates', count: 'countPromptTemplates' },
  [slugs.promptsExecuted]: { one: 'PromptsExecuted', many: 'PromptsExecuteds', count: 'countPromptsExecuteds' },
  [slugs.auditLog]: { one: 'AuditLog', many: 'AuditLogs', count: 'countAuditLogs' },
  [slugs.projectInvitations]: { one: 'ProjectInvitation', many: 'ProjectInvitations', count: 'countProjectInvitations' },
  [internalSlugs.lockedDocuments]: { one: 'PayloadLockedDocument', many: 'PayloadLockedDocuments', count: 'countPayloadLockedDocuments' },
  [internalSlugs.preferences]: { one: 'PayloadPreference', many: 'PayloadPreferences', count: 'countPayloadPreferences' },
  // Not in the schema (Payload gives migrations no GraphQL): queries for it must fail as unknown.
  [internalSlugs.migrations]: { one: 'PayloadMigration', many: 'PayloadMigrations', count: 'countPayloadMigrations' },
  [internalSlugs.kv]: { one: 'PayloadKv', many: 'PayloadKvs', count: 'countPayloadKvs' },
}

/** A GraphQL validation error for a field or type the schema does not have: the operation does not exist (404). */
const isUnknownOperation = (message: unknown) =>
  typeof message === 'string' && /^(Cannot query field|Unknown type)|cannot be used as an input type/.test(message)

/** Payload's GraphQL API over HTTP; an error's status is its `extensions.statusCode`. */
export function graphQLTransport(url: string, credentials: Credentials): Transport {
  const run = async (principal: Principal, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${url}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authOf(credentials, principal) },
      body: JSON.stringify({ query, variables }),
    })
    const body = await response.json()
    if (response.status >= 400 && !body?.errors) return { ok: false as const, status: response.status, message: JSON.stringify(body) }
    if (body.errors?.length) {
      const error = body.errors[0]
      if (isUnknownOperation(error.message)) return { ok: false as const, status: 404, message: error.message }
      return { ok: false as const, status: Number(error.extensions?.statusCode ?? response.status), message: error.message }
    }
    return { ok: true as const, data: body.data }
  }
  return {
    name: 'graphql',
    create: async (slug, data, principal) => {
      const { one } = graphQLNames[slug]
      const result = await run(principal, `mutation($data: mutation${one}Input!) { create${one}(data: $data) { id } }`, {
        data,
      })
      return result.ok ? { ok: true, doc: result.data[`create${one}`] } : result
    },
    read: async (slug, id, principal) => {
      const { one } = graphQLNames[slug]
      const result = await run(principal, `query($id: String!) { ${one}(id: $id) { id } }`, { id })
      if (result.ok && !result.data[one]) return { ok: false, status: 404, message: 'null' }
      return result.ok ? { ok: true, doc: result.data[one] } : result
    },
    list: async (slug, principal, where) => {
      const { one, many, count } = graphQLNames[slug]
      const result = await run(
        principal,
        `query($where: ${one}_where) { list: ${many}(where: $where, limit: 100) { docs { id } totalDocs } total: ${count}(where: $where) { totalDocs } }`,
        { where: where ?? {} },
      )
      if (!result.ok) return result
      return { ok: true, ids: result.data.list.docs.map((doc: any) => String(doc.id)), totalDocs: result.data.list.totalDocs, count: result.data.total.totalDocs }
    },
    update: async (slug, id, data, principal) => {
      const { one } = graphQLNames[slug]
      const result = await run(principal, `mutation($id: String!, $data: mutation${one}UpdateInput!) { update${one}(id: $id, data: $data) { id } }`, {
        id,
        data,
      })
      return result.ok ? { ok: true, doc: result.data[`update${one}`] } : result
    },
    delete: async (slug, id, principal) => {
      const { one } = graphQLNames[slug]
      const result = await run(principal, `mutation($id: String!) { delete${one}(id: $id) { id } }`, { id })
      return result.ok ? { ok: true, doc: result.data[`delete${one}`] } : result
    },
  }
}
