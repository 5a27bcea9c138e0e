import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { createElevenLabsClient, createFalClient, createJinaClient, createOpenRouterClient } from '../../../src/providers'
import { retryAfterMs } from '../../../src/providers/providerRequest'
import { startFakeProviders } from '../../helpers/fakeProviders'

/** The provider clients against a local server speaking the providers' shapes. */
let fake: Awaited<ReturnType<typeof startFakeProviders>>
const fast = { maxRetries: 2, timeoutMs: 2_000 }

beforeAll(async () => {
  fake = await startFakeProviders()
  for (const name of ['FAL', 'OPENROUTER', 'ELEVENLABS', 'JINA']) process.env[`${name}_BASE_URL`] = fake.url
  Object.assign(process.env, { FAL_KEY: 'fal-key', OPENROUTER_API_KEY: 'or-key', ELEVENLABS_API_KEY: 'el-key', JINA_API_KEY: 'jina-key' })
})
afterAll(async () => fake?.stop())
beforeEach(() => {
  fake.requests.length = 0
})

describe('shapes', () => {
  it('OpenRouter: chat completion with usage and cost, key as bearer', async () => {
    const completion = await createOpenRouterClient(fast).chatCompletion({
      model: 'anthropic/claude-sonnet-4',
      messages: [{ role: 'user', content: 'Write a logline' }],
      maxTokens: 100,
    })
    expect(completion).toMatchObject({ content: 'echo: Write a logline', usage: { totalTokens: 17 }, cost: 0.00042, model: 'anthropic/claude-sonnet-4' })
    expect(fake.requests[0]).toMatchObject({ path: '/chat/completions', headers: { authorization: 'Bearer or-key' }, body: { max_tokens: 100 } })
  })

  it('fal: image and video runs with the key header, and the result files downloaded', async () => {
    const fal = createFalClient(fast)
    const image = await fal.run({ model: 'fal-ai/nano-banana', input: { prompt: 'a lighthouse' } })
    expect(image.files).toEqual([{ url: `${fake.url}/files/image.png`, contentType: 'image/png', width: 64, height: 64 }])
    expect(fake.requests[0]).toMatchObject({ path: '/fal-ai/nano-banana', headers: { authorization: 'Key fal-key' }, body: { prompt: 'a lighthouse' } })
    const video = await fal.run({ model: 'fal-ai/kling-video', input: { prompt: 'waves' } })
    expect(video.files[0].contentType).toBe('video/mp4')
    const file = await fal.download(video.files[0].url)
    expect(file).toEqual({ data: Buffer.from('file:/files/clip.mp4'), contentType: 'video/mp4' })
  })

  it('ElevenLabs: speech and music as audio bytes', async () => {
    const client = createElevenLabsClient(fast)
    const speech = await client.textToSpeech({ voiceId: 'voice 1', text: 'Hello' })
    expect(speech).toEqual({ data: Buffer.from('mp3:Hello'), contentType: 'audio/mpeg' })
    expect(fake.requests[0].path).toBe('/v1/text-to-speech/voice%201?output_format=mp3_44100_128')
    expect(fake.requests[0].headers['xi-api-key']).toBe('el-key')
    expect((await client.composeMusic({ prompt: 'calm', lengthMs: 10_000 })).data.toString()).toBe('mp3:calm')
  })

  it('Jina v4: 512 and 1024 dimensions, in input order', async () => {
    const jina = createJinaClient(fast)
    for (const dimensions of [512, 1024] as const) {
      const { embeddings, tokensUsed } = await jina.embed({ input: [{ text: 'a' }, { text: 'b' }], dimensions })
      expect(embeddings.map((vector) => vector.length)).toEqual([dimensions, dimensions])
      expect(embeddings[1][0]).toBe(0.001)
      expect(tokensUsed).toBe(14)
    }
    expect(fake.requests[0].body).toMatchObject({ model: 'jina-embeddings-v4', dimensions: 512 })
  })
})

describe('failures', () => {
  it('retries a 429 after its Retry-After and a 503, then succeeds', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 503 })
    const started = Date.now()
    const completion = await createOpenRouterClient(fast).chatCompletion({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
    expect(completion.content).toBe('echo: x')
    expect(fake.requests).toHaveLength(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
  })

  it('gives up after its retries with a retryable error, and refuses a 4xx at once', async () => {
    fake.script({ status: 500 }, { status: 502 }, { status: 500, body: 'boom' })
    const error = await createFalClient(fast).run({ model: 'fal-ai/x', input: {} }).catch((err) => err)
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })
    expect(fake.requests).toHaveLength(3)
    fake.script({ status: 422, body: '{"detail":"bad prompt"}' })
    const rejected = await createFalClient(fast).run({ model: 'fal-ai/x', input: {} }).catch((err) => err)
    expect(rejected).toMatchObject({ code: 'PROVIDER_REJECTED', retryable: false })
    expect(rejected.message).toContain('bad prompt')
  })

  it('times out a silent provider', async () => {
    fake.script({ status: 200, delayMs: 1_500 }, { status: 200, delayMs: 1_500 })
    const error = await createJinaClient({ maxRetries: 1, timeoutMs: 300 })
      .embed({ input: [{ text: 'a' }], dimensions: 512 })
      .catch((err) => err)
    expect(error.code).toBe('PROVIDER_UNAVAILABLE')
    expect(error.message).toContain('no answer within 300 ms')
  })

  it('refuses without a key, naming the variable, and sends nothing', async () => {
    const saved = process.env.ELEVENLABS_API_KEY
    delete process.env.ELEVENLABS_API_KEY
    try {
      const error = await createElevenLabsClient(fast).textToSpeech({ voiceId: 'v', text: 't' }).catch((err) => err)
      expect(error).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', retryable: false })
      expect(error.message).toContain('ELEVENLABS_API_KEY')
      expect(fake.requests).toHaveLength(0)
    } finally {
      process.env.ELEVENLABS_API_KEY = saved
    }
  })

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    expect(retryAfterMs('2')).toBe(2_000)
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5_000)).toBe(5_000)
    expect(retryAfterMs('3600')).toBe(60_000)
    expect(retryAfterMs('soon')).toBeUndefined()
  })
})
