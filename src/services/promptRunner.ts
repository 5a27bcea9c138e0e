import type { Payload } from 'payload'

import type { PromptsExecuted, PromptTemplate } from '../payload-types'

import { slugs } from '../model/slugs'
import { validateOutput } from '../domain/promptTemplates'
import { ProviderError } from '../errors'
import { createFalClient, createOpenRouterClient, type ProviderSettings } from '../providers'
import { localChatCompletion, usesLocalProvider } from '../providers/local'
import { renderWith } from './promptTemplateService'

/**
 * One attempt at running a prompt template (docs/PROMPTS.md): render → call the template's model (OpenRouter for
 * the LLMs, fal for the image models) → parse → validate against outputSchema → one PromptsExecuted record, whether
 * the attempt succeeded or not. System code: the caller's rights (template readable, member of the project) were
 * checked before, so the record is written with overrideAccess — nobody else writes executions.
 */
export type PromptAttempt = {
  payload: Payload
  template: PromptTemplate
  inputs: Record<string, unknown>
  projectId: string
  /** Provider settings for this attempt (a shorter timeout for `?wait=true`). */
  providerOverrides?: Partial<ProviderSettings>
}

export type AttemptResult = { execution: PromptsExecuted; output: unknown; retryable: boolean; cost: number | null; tokensUsed: number | null }

/** Where a model runs: fal for fal-ai/* models, OpenRouter for the rest. */
export const providerOf = (model: string) => (model.startsWith('fal-ai/') ? 'fal' : 'openrouter')

class OutputProblem extends Error {}

export async function runPromptAttempt({ payload, template, inputs, projectId, providerOverrides = {} }: PromptAttempt): Promise<AttemptResult> {
  const startedAt = new Date()
  const { resolvedPrompt, version } = renderWith({ template, inputs })
  const model = template.model ?? 'anthropic/claude-sonnet-4'
  const hasSchema = template.outputSchema !== undefined && template.outputSchema !== null
  let outputRaw: unknown
  let output: unknown
  let errorMessage: string | undefined
  let retryable = false
  let cost: number | null = null
  let tokensUsed: number | null = null
  try {
    if (usesLocalProvider()) {
      // AI_PROVIDER=local: the local chat model answers every template (JSON satisfying outputSchema when it has one).
      const completion = localChatCompletion({ prompt: resolvedPrompt, outputSchema: hasSchema ? template.outputSchema : undefined })
      cost = completion.cost
      tokensUsed = completion.usage.totalTokens
      outputRaw = { content: completion.content, model: completion.model, usage: completion.usage, cost: completion.cost, generationId: null }
      output = hasSchema ? parseJsonOutput(completion.content) : completion.content
    } else if (providerOf(model) === 'fal') {
      const result = await createFalClient(providerOverrides).run({ model, input: { prompt: resolvedPrompt } })
      outputRaw = result.raw
      output = result.raw
    } else {
      const completion = await createOpenRouterClient(providerOverrides).chatCompletion({
        model,
        messages: [{ role: 'user', content: resolvedPrompt }],
        ...(hasSchema ? { responseFormat: { type: 'json_object' } } : {}),
      })
      cost = completion.cost
      tokensUsed = completion.usage.totalTokens
      outputRaw = { content: completion.content, model: completion.model, usage: completion.usage, cost: completion.cost, generationId: completion.id }
      output = hasSchema ? parseJsonOutput(completion.content) : completion.content
    }
    if (hasSchema) {
      const { isValid, errors } = validateOutput({ schema: template.outputSchema, output })
      // A model may answer in shape on the next try: a schema miss is worth a retry.
      if (!isValid) throw Object.assign(new OutputProblem(`Output does not match outputSchema: ${errors.join('; ')}`), { retryable: true })
    }
  } catch (err) {
    if (err instanceof ProviderError || err instanceof OutputProblem) {
      errorMessage = err.message
      retryable = err instanceof ProviderError ? err.retryable : Boolean((err as { retryable?: boolean }).retryable)
    } else {
      throw err
    }
  }
  const execution = (await payload.create({
    collection: slugs.promptsExecuted,
    data: {
      templateId: template.id,
      templateVersion: version,
      app: template.app,
      feature: template.feature,
      stage: template.stage,
      projectId,
      tagsSnapshot: (template.tags ?? []).map(({ value }) => ({ value })),
      inputs,
      resolvedPrompt,
      model,
      status: errorMessage ? 'error' : 'success',
      ...(outputRaw !== undefined ? { outputRaw: outputRaw as Record<string, unknown> } : {}),
      ...(errorMessage ? { errorMessage } : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    },
    depth: 0,
    overrideAccess: true, // the execution record is system code's to write (append-only audit trail)
  })) as PromptsExecuted
  return { execution, output: errorMessage ? undefined : output, retryable, cost, tokensUsed }
}

/** The JSON a model answered, also when wrapped in a ```json fence. */
function parseJsonOutput(content: string): unknown {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content)
  try {
    return JSON.parse(fenced ? fenced[1] : content)
  } catch {
    throw Object.assign(new OutputProblem(`Output is not JSON: ${content.slice(0, 200)}`), { retryable: true })
  }
}

/** How long `?wait=true` lets the model answer (one try, no provider retries). */
export const PROMPT_WAIT_TIMEOUT_MS = Number(process.env.PROMPT_WAIT_TIMEOUT_MS || 60_000)

/** The task type a template's runs are queued as. */
export const promptTaskType = (model: string) => (providerOf(model) === 'fal' ? 'image_generation' : 'script_generation')
