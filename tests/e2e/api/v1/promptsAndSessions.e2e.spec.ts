import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { startFakeProviders } from '../../../helpers/fakeProviders'
import { requestJson } from '../../../helpers/http'
import { createDoc, people, type Person, testRateLimits } from './session'

/** Prompt templates (render, execute, executions) and the sessions API over HTTP, as the people who use them. */
let app: RunningApp
let providers: Awaited<ReturnType<typeof startFakeProviders>>
let admin: Person, producer: Person, owner: Person, collaborator: Person, stranger: Person
let project: { id: string }, foreignProject: { id: string }, episode: { id: string }, foreignEpisode: { id: string }
let template: { id: string }
const v1 = (path: string) => `${app.url}/api/v1${path}`
const post = (path: string, who: Person, body?: unknown) => requestJson(v1(path), { method: 'POST', token: who.token, body })

const expectError = (response: { status: number; body: any }, status: number) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status)
  expect(response.body.error).toMatchObject({ status, message: expect.any(String) })
}
const issuePaths = (response: { body: any }) => (response.body.error.details.issues as { path: string }[]).map((issue) => issue.path).sort()

beforeAll(async () => {
  providers = await startFakeProviders()
  app = await startApp('prompts_sessions', {
    RATE_LIMITS: testRateLimits,
    OPENROUTER_BASE_URL: providers.url,
    OPENROUTER_API_KEY: 'test-key',
    FAL_BASE_URL: providers.url,
    FAL_KEY: 'test-key',
    PROVIDER_MAX_RETRIES: '0',
  })
  const users = await people(app)
  admin = users.admin
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  stranger = await users.person('stranger')
  producer = await users.person('producer')
  await requestJson(`${app.url}/api/users/${producer.id}`, { method: 'PATCH', token: admin.token, body: { role: 'producer' } })
  project = await createDoc(app, owner, 'projects', { title: 'Harbour Lights', genre: 'drama' })
  // Owners invite by email since issue 9; an admin still adds a collaborator by id, which is the shortest setup here.
  const joined = await requestJson(v1(`/projects/${project.id}/collaborators`), { method: 'POST', token: admin.token, body: { userId: collaborator.id } })
  if (joined.status !== 201) throw new Error(`add collaborator: ${joined.status} ${JSON.stringify(joined.body)}`)
  foreignProject = await createDoc(app, stranger, 'projects', { title: 'Elsewhere' })
  episode = await createDoc(app, owner, 'episodes', { project: project.id, title: 'Pilot' })
  foreignEpisode = await createDoc(app, stranger, 'episodes', { project: foreignProject.id, title: 'Theirs' })
  template = await createDoc(app, producer, 'prompt-templates', {
    name: 'Logline',
    template: 'A {{tone}} logline for {{title}} ({{minutes}} min, {{link}})',
    variableDefs: [
      { name: 'tone', type: 'string', defaultValue: 'quiet' },
      { name: 'title', type: 'string', required: true },
      { name: 'minutes', type: 'number', required: true },
      { name: 'link', type: 'url' },
    ],
    outputSchema: { type: 'object', required: ['logline'], properties: { logline: { type: 'string' } } },
    model: 'anthropic/claude-sonnet-4',
  })
})
afterAll(async () => {
  await app?.stop()
  await providers?.stop()
})

describe('prompt templates', () => {
  it('saving: a producer gets a 400 naming the variables and the schema; a plain user may not write templates', async () => {
    const bad = await requestJson(`${app.url}/api/prompt-templates`, {
      method: 'POST',
      token: producer.token,
      body: { name: 'Bad', template: '{{a}} {{b}}', variableDefs: [{ name: 'a' }, { name: 'c' }], outputSchema: { type: 42 } },
    })
    expect(bad.status, JSON.stringify(bad.body)).toBe(400)
    const text = JSON.stringify(bad.body)
    for (const expected of ['Uses variables not in variableDefs: b', 'variableDefs.1.name', 'Variable c is defined but the template never uses it', 'outputSchema']) {
      expect(text).toContain(expected)
    }
    const denied = await requestJson(`${app.url}/api/prompt-templates`, { method: 'POST', token: owner.token, body: { name: 'Mine', template: 'x' } })
    expect(denied.status).toBe(403)
  })

  it('render: 200 {resolvedPrompt, version, variables} for any signed-in person, without a model call', async () => {
    const rendered = await post(`/prompt-templates/${template.id}/render`, stranger, { inputs: { title: 'Harbour', minutes: 22 } })
    expect(rendered.status, JSON.stringify(rendered.body)).toBe(200)
    expect(rendered.body).toMatchObject({ resolvedPrompt: 'A quiet logline for Harbour (22 min, )', version: 1 })
    expect(rendered.body.variables.map((v: { name: string }) => v.name)).toEqual(['tone', 'title', 'minutes', 'link'])
    expect(providers.requests).toHaveLength(0)
  })

  it('render: unknown, missing and mistyped inputs are one 400 naming each', async () => {
    const response = await post(`/prompt-templates/${template.id}/render`, owner, { inputs: { minutes: '22', link: 'mailto:x', extra: true } })
    expectError(response, 400)
    expect(issuePaths(response)).toEqual(['inputs.extra', 'inputs.link', 'inputs.minutes', 'inputs.title'])
    expectError(await post(`/prompt-templates/${template.id}/render`, owner, { inputs: {}, junk: 1 }), 400)
    expectError(await post('/prompt-templates/0123456789abcdef01234567/render', owner, { inputs: {} }), 404)
    expectError(await requestJson(v1(`/prompt-templates/${template.id}/render`), { method: 'POST', body: { inputs: {} } }), 401)
  })

  it('versions: an edit is version 2, and version 1 still renders', async () => {
    const edited = await requestJson(`${app.url}/api/prompt-templates/${template.id}`, {
      method: 'PATCH',
      token: producer.token,
      body: { notes: 'tightened' },
    })
    expect(edited.body.doc._version).toBe(2)
    const old = await post(`/prompt-templates/${template.id}/render`, owner, { inputs: { title: 'H', minutes: 1 }, version: 1 })
    expect(old.body.version).toBe(1)
    expectError(await post(`/prompt-templates/${template.id}/render`, owner, { inputs: { title: 'H', minutes: 1 }, version: 9 }), 404)
  })

  it('execute: 202 the queued task for a member, ?wait=true the execution record; strangers and producers refused', async () => {
    const queued = await post(`/prompt-templates/${template.id}/execute`, collaborator, { projectId: project.id, inputs: { title: 'H', minutes: 5 } })
    expect(queued.status, JSON.stringify(queued.body)).toBe(202)
    expect(queued.body).toMatchObject({ taskType: 'script_generation', status: 'queued', project: project.id })
    expect(queued.body.input.parameters).toMatchObject({ promptTemplateId: template.id, templateVersion: 2 })

    providers.script({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ choices: [{ message: { content: '{"logline":"A pier at dawn"}' } }] }) })
    const inline = await requestJson(v1(`/prompt-templates/${template.id}/execute?wait=true`), {
      method: 'POST',
      token: owner.token,
      body: { projectId: project.id, inputs: { title: 'Pier', minutes: 5 }, version: 1 },
    })
    expect(inline.status, JSON.stringify(inline.body)).toBe(200)
    expect(inline.body).toMatchObject({ status: 'success', templateVersion: 1, projectId: project.id, resolvedPrompt: 'A quiet logline for Pier (5 min, )' })

    providers.script({ status: 500, body: 'down' })
    const failed = await requestJson(v1(`/prompt-templates/${template.id}/execute?wait=true`), {
      method: 'POST',
      token: owner.token,
      body: { projectId: project.id, inputs: { title: 'Pier', minutes: 5 } },
    })
    expect(failed.body).toMatchObject({ status: 'error', errorMessage: expect.stringMatching(/openrouter/i) })

    expectError(await post(`/prompt-templates/${template.id}/execute`, stranger, { projectId: project.id, inputs: { title: 'H', minutes: 5 } }), 404)
    const producers = await requestJson(v1(`/prompt-templates/${template.id}/execute?wait=true`), {
      method: 'POST',
      token: producer.token,
      body: { projectId: project.id, inputs: { title: 'H', minutes: 5 } },
    })
    // Producers are tenants since issue 9: a project they are not a member of is not theirs to see (404, as a stranger).
    expectError(producers, 404)
    expectError(await post(`/prompt-templates/${template.id}/execute`, owner, { projectId: project.id, inputs: {} }), 400)
  })

  it('executions: paged per project with filters, members only; nobody but admins records by hand', async () => {
    const all = await requestJson(v1(`/projects/${project.id}/prompt-executions`), { token: collaborator.token })
    expect(all.status).toBe(200)
    expect(all.body.docs.map((e: { status: string }) => e.status)).toEqual(['error', 'success'])
    const errors = await requestJson(v1(`/projects/${project.id}/prompt-executions?status=error&templateId=${template.id}&model=anthropic/claude-sonnet-4`), { token: owner.token })
    expect(errors.body.totalDocs).toBe(1)
    expectError(await requestJson(v1(`/projects/${project.id}/prompt-executions`), { token: stranger.token }), 404)
    expectError(await requestJson(v1(`/projects/${project.id}/prompt-executions?status=maybe`), { token: owner.token }), 400)
    for (const who of [owner, producer]) {
      const forged = await requestJson(`${app.url}/api/prompts-executed`, { method: 'POST', token: who.token, body: { projectId: project.id, status: 'success' } })
      expect(forged.status).toBe(403)
    }
  })
})

describe('sessions', () => {
  const start = async () => {
    const response = await post('/sessions', owner, { project: project.id })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    return response.body as { id: string; sessionState: string; user: string }
  }

  it('start: 201 an active session of the caller; not on someone else’s project', async () => {
    const session = await start()
    expect(session).toMatchObject({ sessionState: 'active', user: owner.id })
    expectError(await post('/sessions', stranger, { project: project.id }), 404)
    expectError(await post('/sessions', owner, { project: project.id, conversationHistory: [] }), 400)
  })

  it('20 concurrent appends over HTTP: 20 messages in one order; cursor paging newest first', async () => {
    const session = await start()
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(`/sessions/${session.id}/messages`, owner, { role: 'user', content: `line ${i}` })),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201))
    expect(responses.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const seen: number[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const page: any = await requestJson(v1(`/sessions/${session.id}/messages?limit=7${cursor ? `&before=${cursor}` : ''}`), { token: owner.token })
      expect(page.status).toBe(200)
      seen.push(...page.body.docs.map((m: { seq: number }) => m.seq))
      cursor = page.body.nextCursor
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i))
    const detail = await requestJson(v1(`/sessions/${session.id}`), { token: owner.token })
    expect(detail.body.messages.docs[0].seq).toBe(20)
    expect(detail.body.conversationHistory.length).toBeGreaterThan(0)
  })

  it('only its user and admins see or change it', async () => {
    const session = await start()
    for (const who of [collaborator, stranger, producer]) {
      expectError(await requestJson(v1(`/sessions/${session.id}`), { token: who.token }), 404)
      expectError(await post(`/sessions/${session.id}/messages`, who, { role: 'user', content: 'hi' }), 404)
      expectError(await requestJson(v1(`/sessions/${session.id}`), { method: 'PATCH', token: who.token, body: { currentStep: 'x' } }), 404)
    }
    expect((await requestJson(v1(`/sessions/${session.id}`), { token: admin.token })).status).toBe(200)
  })

  it('state machine: active ⇄ paused → completed, never reopened (409)', async () => {
    const session = await start()
    const patch = (body: unknown) => requestJson(v1(`/sessions/${session.id}`), { method: 'PATCH', token: owner.token, body })
    expect((await patch({ sessionState: 'paused' })).body.sessionState).toBe('paused')
    expect((await patch({ sessionState: 'active' })).body.sessionState).toBe('active')
    expect((await patch({ sessionState: 'completed' })).body.sessionState).toBe('completed')
    expectError(await patch({ sessionState: 'active' }), 409)
    expectError(await post(`/sessions/${session.id}/messages`, owner, { role: 'user', content: 'late' }), 409)
    expectError(await patch({ sessionState: 'sleeping' }), 400)
  })

  it('context and messages name documents of the same project only, without revealing the other project', async () => {
    const session = await start()
    const ok = await requestJson(v1(`/sessions/${session.id}`), { method: 'PATCH', token: owner.token, body: { contextData: { currentEpisode: episode.id } } })
    expect(ok.body.contextData.currentEpisode).toBe(episode.id)
    const foreign = await requestJson(v1(`/sessions/${session.id}`), {
      method: 'PATCH',
      token: owner.token,
      body: { contextData: { currentEpisode: foreignEpisode.id } },
    })
    expectError(foreign, 400)
    expect(issuePaths(foreign)).toEqual(['contextData.currentEpisode'])
    expect(JSON.stringify(foreign.body)).not.toContain(foreignProject.id)
    const message = await post(`/sessions/${session.id}/messages`, owner, { role: 'user', content: 'see', metadata: { episode: foreignEpisode.id } })
    expectError(message, 400)
    expect(JSON.stringify(message.body)).not.toContain(foreignProject.id)
  })

  it('choices: offer → awaiting; pick → recorded message, awaiting cleared; a second pick is 409', async () => {
    const session = await start()
    const offered = await post(`/sessions/${session.id}/choices`, owner, {
      choices: [
        { choiceId: 'noir', label: 'Go noir', action: 'set-tone', metadata: { episode: episode.id } },
        { choiceId: 'bright', label: 'Go bright', action: 'set-tone' },
      ],
    })
    expect(offered.status, JSON.stringify(offered.body)).toBe(200)
    expect(offered.body.awaitingUserInput).toBe(true)
    expectError(await post(`/sessions/${session.id}/choices/sepia`, owner), 404)
    const picked = await post(`/sessions/${session.id}/choices/noir`, owner)
    expect(picked.status, JSON.stringify(picked.body)).toBe(201)
    expect(picked.body.message).toMatchObject({ role: 'user', content: 'Go noir', seq: 1, metadata: { choice: { choiceId: 'noir' } } })
    expect(picked.body.session).toMatchObject({ awaitingUserInput: false, lastChoices: [] })
    expectError(await post(`/sessions/${session.id}/choices/bright`, owner), 409)
    const foreign = await post(`/sessions/${session.id}/choices`, owner, { choices: [{ choiceId: 'x', label: 'X', action: 'go', metadata: { episode: foreignEpisode.id } }] })
    expectError(foreign, 400)
    expect(issuePaths(foreign)).toEqual(['lastChoices.0.metadata.episode'])
  })
})
