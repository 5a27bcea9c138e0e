import type { ChatCompletion } from '../openrouter'
import { localModel, sentencesOf, unitHash } from './localProvider'

type Schema = {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minItems?: number
  minimum?: number
  minLength?: number
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
}

/**
 * The scene's action text in a rendered prompt: the lines after a line that is exactly `Action:`, up to the next
 * blank line or the end (the storyboard template's layout, docs/pipeline contract). Undefined when absent.
 */
export function actionTextOf(prompt: string): string | undefined {
  const lines = prompt.split(/\r?\n/)
  const start = lines.findIndex((line) => line.trim() === 'Action:')
  if (start === -1) return undefined
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => line.trim() === '')
  return (end === -1 ? rest : rest.slice(0, end)).join(' ').trim() || undefined
}

const firstWords = (text: string, count: number) => text.replace(/\s+/g, ' ').trim().split(' ').slice(0, count).join(' ')

/**
 * A deterministic value satisfying a JSON schema. An array named `panels` gets one item per sentence of the action
 * text (a `description` property takes the sentence, an enum property cycles through its values); everything else
 * gets the smallest valid value (first enum value, minimum, minItems items, the required properties).
 */
export function valueForSchema(schema: Schema, { prompt, sentences, index = 0 }: { prompt: string; sentences: string[]; index?: number }, name = ''): unknown {
  if (schema.const !== undefined) return schema.const
  if (schema.enum?.length) return schema.enum[index % schema.enum.length]
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0]
  if (choice) return valueForSchema(choice, { prompt, sentences, index }, name)
  if (schema.allOf?.length) return valueForSchema(Object.assign({}, ...schema.allOf), { prompt, sentences, index }, name)
  const type = Array.isArray(schema.type) ? (schema.type.find((candidate) => candidate !== 'null') ?? 'null') : (schema.type ?? (schema.properties ? 'object' : 'string'))
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {}
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (key === 'description' && sentences[index] !== undefined && (property.type ?? 'string') === 'string') value[key] = sentences[index]
        else value[key] = valueForSchema(property, { prompt, sentences, index }, key)
      }
      return value
    }
    case 'array': {
      const count = name === 'panels' ? Math.max(sentences.length, schema.minItems ?? 0, 1) : (schema.minItems ?? 0)
      return Array.from({ length: count }, (_, itemIndex) => valueForSchema(schema.items ?? {}, { prompt, sentences, index: itemIndex }, ''))
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 0
    case 'boolean':
      return false
    case 'null':
      return null
    default: {
      const text = sentences[index] ?? firstWords(prompt, 12) ?? 'text'
      return text.length >= (schema.minLength ?? 0) ? text : text.padEnd(schema.minLength ?? 0, '.')
    }
  }
}

/**
 * The local chat model (AI_PROVIDER=local): with an output schema, JSON satisfying it; without one, a short
 * deterministic text derived from the prompt. Token counts are word counts; it costs nothing.
 */
export function localChatCompletion({ prompt, outputSchema }: { prompt: string; outputSchema?: unknown }): ChatCompletion {
  const action = actionTextOf(prompt)
  const sentences = sentencesOf(action ?? prompt)
  const content =
    outputSchema && typeof outputSchema === 'object'
      ? JSON.stringify(valueForSchema(outputSchema as Schema, { prompt, sentences }))
      : `Local draft ${Math.floor(unitHash(prompt, 'draft') * 10_000)}: ${sentences.slice(0, 3).join(' ') || firstWords(prompt, 30)}`
  const promptTokens = prompt.split(/\s+/).filter(Boolean).length
  const completionTokens = content.split(/\s+/).filter(Boolean).length
  return {
    content,
    model: localModel('chat'),
    finishReason: 'stop',
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
    cost: 0,
    id: null,
  }
}
