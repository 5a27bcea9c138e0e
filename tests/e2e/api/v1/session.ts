import type { RunningApp } from '../../../helpers/app'

import { requestJson } from '../../../helpers/http'

/** Generous budgets for apps under test, so many requests from one loopback IP are not refused with 429. */
export const testRateLimits = JSON.stringify(
  Object.fromEntries(
    ['login', 'registration', 'passwordReset', 'graphql', 'search', 'execute', 'enqueue'].map((policy) => [
      policy,
      { ip: { points: 1_000_000 }, user: { points: 1_000_000 }, project: { points: 1_000_000 } },
    ]),
  ),
)

export type Person = { id: string; email: string; token: string }

/** Registers the first user (an admin) and returns a function that registers and logs in further users. */
export async function people(app: RunningApp) {
  const password = 'Passw0rd!secret'
  const login = async (email: string): Promise<Person> => {
    const response = await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { email, password } })
    if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${JSON.stringify(response.body)}`)
    return { id: response.body.user.id, email, token: response.body.token }
  }
  const first = await requestJson(`${app.url}/api/users/first-register`, {
    method: 'POST',
    body: { email: 'admin@example.test', password },
  })
  if (first.status !== 200) throw new Error(`first-register: ${first.status} ${JSON.stringify(first.body)}`)
  const admin = await login('admin@example.test')
  let n = 0
  const person = async (label: string): Promise<Person> => {
    const email = `${label}-${++n}-${Date.now()}@example.test`
    const created = await requestJson(`${app.url}/api/users`, { method: 'POST', body: { email, password, name: label } })
    if (created.status !== 202) throw new Error(`register ${email}: ${created.status} ${JSON.stringify(created.body)}`)
    return login(email)
  }
  return { admin, person }
}

/** Creates a document through Payload's REST API as `person` and returns it. */
export async function createDoc(app: RunningApp, person: Person, collection: string, body: Record<string, unknown>) {
  const response = await requestJson(`${app.url}/api/${collection}`, { method: 'POST', token: person.token, body })
  if (response.status !== 201) throw new Error(`create ${collection}: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body.doc as { id: string } & Record<string, unknown>
}

/**
 * Creates a project as `person` and walks it to `status` the way a person does (a new project starts as concept;
 * only admins and imports create one in a later phase, docs/DOMAIN.md).
 */
export async function createProjectIn(app: RunningApp, person: Person, status: 'concept' | 'pre-production' | 'production', body: Record<string, unknown>) {
  const project = await createDoc(app, person, 'projects', body)
  const path = ['concept', 'pre-production', 'production']
  for (const next of path.slice(1, path.indexOf(status) + 1)) {
    const response = await requestJson(`${app.url}/api/projects/${project.id}`, { method: 'PATCH', token: person.token, body: { status: next } })
    if (response.status !== 200) throw new Error(`project to ${next}: ${response.status} ${JSON.stringify(response.body)}`)
  }
  return { ...project, status }
}
