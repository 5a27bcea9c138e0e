import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { NotFoundError, ValidationError } from '../../../src/errors'
import { promptExecutionService } from '../../../src/services/promptExecutionService'
import { promptTemplateService } from '../../../src/services/promptTemplateService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** Template save checks, versions and rendering through the services, as producers and plain users. */
let payload: Payload
let cleanup: () => Promise<void>
let producer: User, owner: User, stranger: User
let projectId: string
const as = (user: User | null): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('prompt_templates'))
  const make = fixtures(payload)
  await make.user() // the first user is an admin
  producer = (await make.user({ role: 'producer' })) as User
  owner = (await make.user()) as User
  stranger = (await make.user()) as User
  projectId = (await make.project(owner.id)).id
})
afterAll(async () => cleanup?.())

const issuePaths = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(err, 'expected a rejection').toBeDefined()
  const issues = ((err as { issues?: unknown }).issues ?? (err as { data?: { errors?: unknown } }).data?.errors) as { path: string }[]
  expect((err as { status?: number }).status ?? 400).toBe(400)
  return issues.map((issue) => issue.path).sort()
}

describe('saving a template', () => {
  it('refuses variables that the text and the definitions disagree on, and a broken outputSchema', async () => {
    const paths = await issuePaths(
      promptTemplateService.create({
        actor: as(producer),
        data: { name: 'Bad', template: 'Hi {{who}}', variableDefs: [{ name: 'spare' }], outputSchema: { type: 'nope' } },
      }),
    )
    expect(paths).toEqual(['outputSchema', 'template', 'variableDefs.0.name'])
    // The same rule holds for any writer, here the Local API without the service.
    await expect(payload.create({ collection: 'prompt-templates', data: { name: 'Raw', template: '{{x}}' } })).rejects.toMatchObject({ status: 400 })
  })

  it('numbers versions 1, 2, 3… and renders an earlier one on request', async () => {
    const template = await promptTemplateService.create({
      actor: as(producer),
      data: { name: 'Logline', template: 'Logline for {{title}}', variableDefs: [{ name: 'title', type: 'string', required: true }] },
    })
    expect(template._version).toBe(1)
    const second = await promptTemplateService.update({
      actor: as(producer),
      id: template.id,
      data: { template: 'A {{tone}} logline for {{title}}', variableDefs: [{ name: 'title', required: true }, { name: 'tone', defaultValue: 'dark' }] },
    })
    expect(second._version).toBe(2)
    // A write cannot set the number.
    const third = await promptTemplateService.update({ actor: as(producer), id: template.id, data: { notes: 'v3' } })
    expect(third._version).toBe(3)
    await payload.update({ collection: 'prompt-templates', id: template.id, data: { _version: 99 } as never })
    expect((await promptTemplateService.findById({ actor: as(owner), id: template.id }))._version).toBe(4)

    const current = await promptTemplateService.render({ actor: as(owner), id: template.id, inputs: { title: 'Harbour' } })
    expect(current).toMatchObject({ resolvedPrompt: 'A dark logline for Harbour', version: 4 })
    expect(current.variables.map((v) => [v.name, v.value])).toEqual([
      ['tone', 'dark'],
      ['title', 'Harbour'],
    ])
    const first = await promptTemplateService.render({ actor: as(stranger), id: template.id, inputs: { title: 'Harbour' }, version: 1 })
    expect(first).toMatchObject({ resolvedPrompt: 'Logline for Harbour', version: 1 })
    expect(first.variables.map((v) => v.name)).toEqual(['title'])
    // Version 1 does not know `tone`: the inputs are checked against the version asked for.
    await expect(promptTemplateService.render({ actor: as(owner), id: template.id, inputs: { title: 'H', tone: 'x' }, version: 1 })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(promptTemplateService.render({ actor: as(owner), id: template.id, inputs: {}, version: 40 })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('render names each bad input in one 400', async () => {
    const template = await promptTemplateService.create({
      actor: as(producer),
      data: {
        name: 'Typed',
        template: '{{count}} {{link}} {{flag}}',
        variableDefs: [
          { name: 'count', type: 'number', required: true },
          { name: 'link', type: 'url', required: true },
          { name: 'flag', type: 'boolean' },
        ],
      },
    })
    const paths = await issuePaths(promptTemplateService.render({ actor: as(owner), id: template.id, inputs: { count: 'two', flag: 'yes', who: 1 } }))
    expect(paths).toEqual(['inputs.count', 'inputs.flag', 'inputs.link', 'inputs.who'])
    await expect(promptTemplateService.render({ actor: as(null), id: template.id, inputs: {} })).rejects.toMatchObject({ status: 401 })
  })
})

describe('executions of a project', () => {
  it('lists newest first with status/model/template filters, for members only; nobody but admins records by hand', async () => {
    const template = await promptTemplateService.create({ actor: as(producer), data: { name: 'Plain', template: 'Plain' } })
    const record = (data: Record<string, unknown>) =>
      payload.create({ collection: 'prompts-executed', data: { projectId, templateId: template.id, templateVersion: 1, ...data } as never })
    const ok = await record({ status: 'success', model: 'anthropic/claude-sonnet-4' })
    const failed = await record({ status: 'error', model: 'fal-ai/nano-banana', errorMessage: 'provider 500' })
    const ids = async (filters: Record<string, string> = {}) =>
      (await promptExecutionService.findForProject({ actor: as(owner), projectId, ...filters })).docs.map((doc) => doc.id)
    expect(await ids()).toEqual([failed.id, ok.id])
    expect(await ids({ status: 'error' })).toEqual([failed.id])
    expect(await ids({ model: 'anthropic/claude-sonnet-4' })).toEqual([ok.id])
    expect(await ids({ templateId: template.id })).toHaveLength(2)
    await expect(promptExecutionService.findForProject({ actor: as(stranger), projectId })).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      promptExecutionService.create({ actor: as(owner), data: { projectId, status: 'success' } }),
    ).rejects.toMatchObject({ status: 403 })
    await expect(
      promptExecutionService.update({ actor: as(owner), id: ok.id, data: { notes: 'edited' } }),
    ).rejects.toMatchObject({ status: 403 })
  })
})
