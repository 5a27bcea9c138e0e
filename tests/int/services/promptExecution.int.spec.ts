import type { Payload } from 'payload'

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { PromptTemplate, User } from '../../../src/payload-types'

import { ValidationError } from '../../../src/errors'
import { promptExecutionService } from '../../../src/services/promptExecutionService'
import { getTaskQueue } from '../../../src/queue'
import { runNextScriptTask } from '../../../src/services/promptTaskRunner'
import { taskHandlers } from '../../../src/worker/handlers'
import { startWorker } from '../../../src/worker/runWorker'
import { promptTemplateService } from '../../../src/services/promptTemplateService'
import { startFakeProviders } from '../../helpers/fakeProviders'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** Execution: render → provider (local fake OpenRouter/fal) → parse → validate → one record per attempt. */
let payload: Payload
let cleanup: () => Promise<void>
let providers: Awaited<ReturnType<typeof startFakeProviders>>
let producer: User, owner: User, stranger: User
let projectId: string
let scriptTemplate: PromptTemplate
const as = (user: User | null): Actor => ({ payload, user })

const completion = (content: string) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: 'gen-x', model: 'anthropic/claude-sonnet-4', choices: [{ message: { content }, finish_reason: 'stop' }], usage: { total_tokens: 9, cost: 0.001 } }),
})

beforeAll(async () => {
  providers = await startFakeProviders()
  Object.assign(process.env, {
    OPENROUTER_BASE_URL: providers.url,
    OPENROUTER_API_KEY: 'test-openrouter-key',
    FAL_BASE_URL: providers.url,
    FAL_KEY: 'test-fal-key',
    PROVIDER_MAX_RETRIES: '0',
    TASK_RETRY_POLICIES: JSON.stringify({ script_generation: { baseDelayMs: 0, maxDelayMs: 0, maxRetries: 2 } }),
  })
  ;({ payload, cleanup } = await createTestPayload('prompt_execution'))
  const make = fixtures(payload)
  await make.user()
  producer = (await make.user({ role: 'producer' })) as User
  owner = (await make.user()) as User
  stranger = (await make.user()) as User
  projectId = (await make.project(owner.id)).id
  scriptTemplate = await promptTemplateService.create({
    actor: as(producer),
    data: {
      name: 'Beat sheet',
      app: 'studio',
      feature: 'scripts',
      stage: 'story',
      tags: [{ value: 'beats' }],
      template: 'Beats for {{title}}',
      variableDefs: [{ name: 'title', type: 'string', required: true }],
      outputSchema: { type: 'object', required: ['beats'], properties: { beats: { type: 'array', items: { type: 'string' }, minItems: 1 } } },
      model: 'anthropic/claude-sonnet-4',
    },
  })
})
afterAll(async () => {
  await cleanup?.()
  await providers?.stop()
})
beforeEach(() => {
  providers.requests.length = 0
})

const executions = async () => (await payload.find({ collection: 'prompts-executed', where: { projectId: { equals: projectId } }, sort: '-createdAt', limit: 100 })).docs

describe('one inline attempt (?wait=true)', () => {
  it('records a success with the version, inputs, prompt, output and times', async () => {
    providers.script(completion('```json\n{"beats":["storm","rescue"]}\n```'))
    const record = await promptExecutionService.executeNow({ actor: as(owner), templateId: scriptTemplate.id, projectId, inputs: { title: 'Harbour' } })
    expect(record).toMatchObject({
      status: 'success',
      templateId: scriptTemplate.id,
      templateVersion: 1,
      app: 'studio',
      stage: 'story',
      projectId,
      inputs: { title: 'Harbour' },
      resolvedPrompt: 'Beats for Harbour',
      model: 'anthropic/claude-sonnet-4',
      tagsSnapshot: [{ value: 'beats' }],
    })
    expect((record.outputRaw as { content: string }).content).toContain('storm')
    expect(new Date(record.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(record.startedAt!).getTime())
    expect(providers.requests.at(-1)?.body).toMatchObject({ model: 'anthropic/claude-sonnet-4', messages: [{ role: 'user', content: 'Beats for Harbour' }] })
  })

  it.each([
    ['an output failing the schema', completion('{"beats":[]}'), /does not match outputSchema: \/beats: must NOT have fewer than 1 items/],
    ['an output that is not JSON', completion('Here are beats: storm'), /Output is not JSON/],
    ['a provider error', { status: 500, body: 'upstream down' }, /openrouter/i],
    ['a provider refusal', { status: 400, body: '{"error":"bad model"}' }, /openrouter/i],
  ])('records %s as an error attempt', async (_label, answer, message) => {
    const before = (await executions()).length
    providers.script(answer)
    const record = await promptExecutionService.executeNow({ actor: as(owner), templateId: scriptTemplate.id, projectId, inputs: { title: 'Harbour' } })
    expect(record.status).toBe('error')
    expect(record.errorMessage).toMatch(message)
    expect((await executions()).length).toBe(before + 1)
  })

  it('calls fal for image models with the resolved prompt', async () => {
    const image = await promptTemplateService.create({
      actor: as(producer),
      data: { name: 'Poster', template: 'Poster of {{subject}}', variableDefs: [{ name: 'subject', required: true }], model: 'fal-ai/nano-banana' },
    })
    const record = await promptExecutionService.executeNow({ actor: as(owner), templateId: image.id, projectId, inputs: { subject: 'a lighthouse' } })
    expect(record.status).toBe('success')
    expect(providers.requests.at(-1)).toMatchObject({ path: '/fal-ai/nano-banana', body: { prompt: 'Poster of a lighthouse' } })
    expect((record.outputRaw as { images: unknown[] }).images).toHaveLength(1)
  })

  it('refuses bad inputs before any call, and callers outside the project', async () => {
    const before = (await executions()).length
    await expect(promptExecutionService.executeNow({ actor: as(owner), templateId: scriptTemplate.id, projectId, inputs: { title: 3 } })).rejects.toBeInstanceOf(ValidationError)
    await expect(promptExecutionService.executeNow({ actor: as(stranger), templateId: scriptTemplate.id, projectId, inputs: { title: 'x' } })).rejects.toMatchObject({ status: 404 })
    // A producer is a tenant like any user: a project they are not a member of is not found (docs/ACCESS.md).
    await expect(promptExecutionService.executeNow({ actor: as(producer), templateId: scriptTemplate.id, projectId, inputs: { title: 'x' } })).rejects.toMatchObject({ status: 404 })
    expect(providers.requests).toHaveLength(0)
    expect((await executions()).length).toBe(before)
  })
})

describe('queued runs', () => {
  it('a script_generation task runs through the same path: one record per attempt, the version pinned, the task linked', async () => {
    const pinned = await promptTemplateService.update({ actor: as(producer), id: scriptTemplate.id, data: { notes: 'second version' } })
    expect(pinned._version).toBe(2)
    const task = await promptExecutionService.enqueue({ actor: as(owner), templateId: scriptTemplate.id, projectId, inputs: { title: 'Pier' }, version: 1 })
    expect(task).toMatchObject({ taskType: 'script_generation', status: 'queued', input: { parameters: { promptTemplateId: scriptTemplate.id, templateVersion: 1 } } })
    // A third version saved after enqueueing does not change what the task runs.
    await promptTemplateService.update({ actor: as(producer), id: scriptTemplate.id, data: { template: 'Other {{title}}' } })

    const before = (await executions()).length
    providers.script({ status: 503, body: 'busy' })
    const first = await runNextScriptTask({ payload, workerId: 'w1' })
    expect(first?.status).toBe('queued') // retryable: back in the queue
    providers.script(completion('{"beats":["pier at dawn"]}'))
    const second = await runNextScriptTask({ payload, workerId: 'w1' })
    expect(second?.status).toBe('completed')
    expect(second?.output?.result).toEqual({ beats: ['pier at dawn'] })

    const attempts = (await executions()).slice(0, (await executions()).length - before)
    expect(attempts.map((e) => e.status)).toEqual(['success', 'error'])
    expect(attempts.every((e) => e.templateVersion === 1 && e.resolvedPrompt === 'Beats for Pier')).toBe(true)
    expect(second?.input?.promptId).toBe(attempts[0].id)
    await expect(
      promptExecutionService.enqueue({ actor: as(stranger), templateId: scriptTemplate.id, projectId, inputs: { title: 'x' } }),
    ).rejects.toMatchObject({ status: 404 })
  })

  it('the worker (`npm run worker`) runs a template task through the prompt path, not the plain script handler', async () => {
    const task = await promptExecutionService.enqueue({ actor: as(owner), templateId: scriptTemplate.id, projectId, inputs: { title: 'Harbour' } })
    const before = (await executions()).length
    providers.script(completion('{"beats":["harbour at night"]}'))
    const lines: string[] = []
    const worker = startWorker({ payload, queue: getTaskQueue(payload), handlers: taskHandlers, workerId: 'prompt-worker', types: ['script_generation'], once: true, log: (line) => lines.push(line) })
    await worker.done
    const done = (await payload.findByID({ collection: 'tasks', id: task.id, depth: 0, overrideAccess: true })) as { status: string; output?: { result?: unknown }; input?: { promptId?: unknown } }
    expect(done.status).toBe('completed')
    expect(done.output?.result).toEqual({ beats: ['harbour at night'] })
    const attempts = (await executions()).slice(0, (await executions()).length - before)
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ status: 'success', resolvedPrompt: expect.stringContaining('Harbour') })
    expect(String(done.input?.promptId)).toBe(attempts[0].id)
    expect(lines.some((line) => line.includes(`task=${task.id}`) && line.includes('completed'))).toBe(true)
  })
})
