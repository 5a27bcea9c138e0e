import { ProviderError } from '../errors'
import { parseJson, providerRequest, requireApiKey } from './providerRequest'
import { providerSettings, type ProviderSettings } from './providerSettings'

export type EmbeddingDimensions = 512 | 1024
export type EmbeddingInput = { text: string } | { image: string }

type JinaResponse = { data?: { index: number; embedding: number[] }[]; usage?: { total_tokens?: number } }

/** Jina embeddings v4 (POST /v1/embeddings), truncated to 512 or 1024 dimensions (the media vector index's size). */
export function createJinaClient(overrides: Partial<ProviderSettings> = {}) {
  return {
    async embed({
      input,
      dimensions,
      task = 'retrieval.passage',
    }: {
      input: EmbeddingInput[]
      dimensions: EmbeddingDimensions
      task?: 'retrieval.query' | 'retrieval.passage' | 'text-matching'
    }): Promise<{ embeddings: number[][]; tokensUsed: number }> {
      const settings = providerSettings('jina', overrides)
      const apiKey = requireApiKey(settings)
      const response = await providerRequest({
        settings,
        path: 'v1/embeddings',
        headers: { authorization: `Bearer ${apiKey}` },
        json: { model: 'jina-embeddings-v4', task, dimensions, input },
      })
      const body = parseJson<JinaResponse>(settings, response)
      const embeddings = [...(body.data ?? [])].sort((a, b) => a.index - b.index).map((item) => item.embedding)
      if (embeddings.length !== input.length || embeddings.some((vector) => vector.length !== dimensions)) {
        throw new ProviderError({
          provider: 'jina',
          code: 'PROVIDER_BAD_RESPONSE',
          message: `jina returned ${embeddings.length} embeddings for ${input.length} inputs, or not of ${dimensions} dimensions.`,
          retryable: false,
        })
      }
      return { embeddings, tokensUsed: body.usage?.total_tokens ?? 0 }
    },
  }
}

export type JinaClient = ReturnType<typeof createJinaClient>
