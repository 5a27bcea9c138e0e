import type { Payload } from 'payload'

import type { PromptTemplate } from '../payload-types'

import type { z } from 'zod'

import { slugs } from '../model/slugs'
import { findPlaceholders, renderTemplate, resolveVariables, type VariableDef } from '../domain/promptTemplates'
import { NotFoundError, ValidationError } from '../errors'
import { type Actor, requireUser } from './actor'
import { asCaller, createCollectionService } from './collectionService'
import { type Page, parseInput } from './schemas/common'
import {
  createPromptTemplateSchema,
  findPromptTemplatesSchema,
  renderPromptSchema,
  type RenderPromptDTO,
  updatePromptTemplateSchema,
} from './schemas/promptTemplateSchemas'

export const promptTemplateListSelect = {
  name: true,
  app: true,
  feature: true,
  stage: true,
  model: true,
  tags: true,
  updatedAt: true,
} as const

const base = createCollectionService({
  slug: slugs.promptTemplates,
  resource: 'Prompt template',
  createSchema: createPromptTemplateSchema,
  updateSchema: updatePromptTemplateSchema,
  listSelect: promptTemplateListSelect,
})

/** Templates by app and stage (the app + stage index), by name. */
async function findByStage({ actor, ...input }: { actor: Actor } & z.input<typeof findPromptTemplatesSchema>): Promise<Page<PromptTemplate>> {
  const { app, stage, page, limit } = parseInput(findPromptTemplatesSchema, input)
  const where = { ...(app ? { app: { equals: app } } : {}), ...(stage ? { stage: { equals: stage } } : {}) }
  return base.list({ actor, where, sort: 'name', page, limit })
}

/** A template as it was at `version` (its `_version`), or as it is now when no version is asked for. */
async function findVersion({ actor, id, version }: { actor: Actor; id: string; version?: number }): Promise<PromptTemplate> {
  const current = await base.findById({ actor, id })
  return atVersion({ payload: actor.payload, current, version, access: asCaller(actor) })
}

/** The same for system code (a task runner): the template was chosen by someone who could read it. */
export async function loadTemplateVersion({ payload, id, version }: { payload: Payload; id: string; version?: number }): Promise<PromptTemplate> {
  const current = await payload.findByID({ collection: slugs.promptTemplates, id, depth: 0, disableErrors: true, overrideAccess: true })
  if (!current) throw new NotFoundError({ resource: 'Prompt template', id })
  return atVersion({ payload, current, version, access: { overrideAccess: true } })
}

async function atVersion({
  payload,
  current,
  version,
  access,
}: {
  payload: Payload
  current: PromptTemplate
  version?: number
  access: Record<string, unknown>
}): Promise<PromptTemplate> {
  const currentVersion = current._version ?? 1
  if (version === undefined || version === currentVersion) return { ...current, _version: currentVersion }
  const { docs } = await payload.findVersions({
    collection: slugs.promptTemplates,
    where: { and: [{ parent: { equals: current.id } }, { 'version._version': { equals: version } }] },
    sort: '-updatedAt',
    limit: 1,
    depth: 0,
    ...access,
  })
  if (!docs[0]) throw new NotFoundError({ resource: `Version ${version} of prompt template`, id: current.id })
  return { ...(docs[0].version as PromptTemplate), id: current.id, _version: version }
}

export type RenderedPrompt = {
  resolvedPrompt: string
  version: number
  /** Every variable of the template in order of first use, with the value the render used. */
  variables: { name: string; type: string; required: boolean; description: string | null; defaultValue: unknown; value: unknown }[]
}

/** Renders a template with inputs (no model call); unknown, missing and mistyped variables are one 400 naming each. */
export function renderWith({ template, inputs }: { template: PromptTemplate; inputs: Record<string, unknown> }): RenderedPrompt {
  const variableDefs = (template.variableDefs ?? []) as VariableDef[]
  const { values, issues } = resolveVariables({ variableDefs, inputs })
  if (issues.length > 0) throw new ValidationError({ issues, message: 'The inputs do not fit the template variables' })
  const order = findPlaceholders(template.template)
  const byUse = [...variableDefs].sort((a, b) => rank(order, a.name) - rank(order, b.name))
  return {
    resolvedPrompt: renderTemplate({ template: template.template, values }),
    version: template._version ?? 1,
    variables: byUse.map((def) => ({
      name: def.name,
      type: def.type ?? 'string',
      required: Boolean(def.required),
      description: def.description ?? null,
      defaultValue: def.defaultValue ?? null,
      value: values[def.name] ?? null,
    })),
  }
}
const rank = (order: string[], name: string) => (order.includes(name) ? order.indexOf(name) : order.length)

/** POST /api/v1/prompt-templates/{id}/render. */
async function render({ actor, id, ...data }: { actor: Actor; id: string } & RenderPromptDTO): Promise<RenderedPrompt> {
  requireUser(actor)
  const { inputs, version } = parseInput(renderPromptSchema, data)
  const template = await findVersion({ actor, id, version })
  return renderWith({ template, inputs })
}

export const promptTemplateService = {
  create: base.create,
  findById: base.findById,
  findVersion,
  render,
  findByStage,
  update: base.update,
  delete: base.delete,
}
