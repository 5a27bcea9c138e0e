import { ProviderError } from '../errors'
import { parseJson, providerRequest, requireApiKey } from './providerRequest'
import { providerSettings, type ProviderSettings } from './providerSettings'

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

export type ChatCompletionRequest = {
  /** An OpenRouter model id, e.g. anthropic/claude-sonnet-4. */
  model: string
  messages: ChatMessage[]
  temperature?: number
  maxTokens?: number
  /** OpenAI-style response_format, e.g. { type: 'json_object' }. */
  responseFormat?: Record<string, unknown>
}

export type ChatCompletion = {
  content: string
  model: string
  finishReason: string | null
  usage: { promptTokens: number; completionTokens: number; totalTokens: number }
  /** USD, when OpenRouter reports it. */
  cost: number | null
  /** OpenRouter's generation id. */
  id: string | null
}

type OpenRouterResponse = {
  id?: string
  model?: string
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[]
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number; cost?: number }
}

/**
 * OpenRouter chat completions (scripts, prompts): POST {OPENROUTER_BASE_URL}/chat/completions with the key as a
 * bearer token. Throws ProviderError (PROVIDER_NOT_CONFIGURED without OPENROUTER_API_KEY).
 */
export function createOpenRouterClient(overrides: Partial<ProviderSettings> = {}) {
  return {
    async chatCompletion(request: ChatCompletionRequest): Promise<ChatCompletion> {
      const settings = providerSettings('openrouter', overrides)
      const apiKey = requireApiKey(settings)
      const response = await providerRequest({
        settings,
        path: 'chat/completions',
        headers: { authorization: `Bearer ${apiKey}` },
        json: {
          model: request.model,
          messages: request.messages,
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
          ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
          usage: { include: true },
        },
      })
      const body = parseJson<OpenRouterResponse>(settings, response)
      const choice = body.choices?.[0]
      if (typeof choice?.message?.content !== 'string') {
        throw new ProviderError({ provider: 'openrouter', code: 'PROVIDER_BAD_RESPONSE', message: 'openrouter answered without a message.', retryable: true })
      }
      return {
        content: choice.message.content,
        model: body.model ?? request.model,
        finishReason: choice.finish_reason ?? null,
        usage: {
          promptTokens: body.usage?.prompt_tokens ?? 0,
          completionTokens: body.usage?.completion_tokens ?? 0,
          totalTokens: body.usage?.total_tokens ?? 0,
        },
        cost: typeof body.usage?.cost === 'number' ? body.usage.cost : null,
        id: body.id ?? null,
      }
    },
  }
}

export type OpenRouterClient = ReturnType<typeof createOpenRouterClient>
