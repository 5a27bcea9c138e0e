/**
 * Clients of the AI providers. Each reads its base URL and key from the environment at call time, times out,
 * retries 429/5xx (honouring Retry-After) and throws ProviderError; with no key it refuses, it never fakes output.
 */
export { createElevenLabsClient, type Audio, type ElevenLabsClient } from './elevenlabs'
export { createFalClient, type FalClient, type FalFile, type FalResult, requireFiles } from './fal'
export { createJinaClient, type EmbeddingDimensions, type EmbeddingInput, type JinaClient } from './jina'
export { type ChatCompletion, type ChatCompletionRequest, type ChatMessage, createOpenRouterClient, type OpenRouterClient } from './openrouter'
export { providerSettings, type ProviderName, type ProviderSettings } from './providerSettings'
