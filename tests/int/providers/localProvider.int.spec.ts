import type { Payload } from 'payload'

import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { validateOutput } from '../../../src/domain/promptTemplates'
import { actionTextOf, aspectRatios, frameSize, localChatCompletion, localEmbedding, localImage, localMusic, localSpeech } from '../../../src/providers/local'
import { promptExecutionService } from '../../../src/services/promptExecutionService'
import { promptTemplateService } from '../../../src/services/promptTemplateService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** The local provider's pieces (AI_PROVIDER=local): deterministic, offline, real media and schema-true answers. */
const cameraAngles = ['wide', 'medium', 'close_up', 'over_the_shoulder']
const storyboardSchema = {
  type: 'object',
  required: ['panels'],
  properties: {
    panels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['description', 'cameraAngle'],
        properties: { description: { type: 'string', minLength: 1 }, cameraAngle: { type: 'string', enum: cameraAngles } },
      },
    },
  },
}
const storyboardPrompt = 'Plan the storyboard of scene 3.\nAction:\nMara climbs the stairs. The lamp is dark!\nShe strikes a match?\n\nStyle: noir'

describe('local chat', () => {
  it('finds the action text between `Action:` and the next blank line', () => {
    expect(actionTextOf(storyboardPrompt)).toBe('Mara climbs the stairs. The lamp is dark! She strikes a match?')
    expect(actionTextOf('Action:\nOnly this.')).toBe('Only this.')
    expect(actionTextOf('No action here')).toBeUndefined()
  })

  it('answers a panels schema with one panel per sentence, camera angles cycling through the enum', () => {
    const completion = localChatCompletion({ prompt: storyboardPrompt, outputSchema: storyboardSchema })
    const output = JSON.parse(completion.content)
    expect(output).toEqual({
      panels: [
        { description: 'Mara climbs the stairs.', cameraAngle: 'wide' },
        { description: 'The lamp is dark!', cameraAngle: 'medium' },
        { description: 'She strikes a match?', cameraAngle: 'close_up' },
      ],
    })
    expect(validateOutput({ schema: storyboardSchema, output }).isValid).toBe(true)
    expect(completion).toMatchObject({ model: 'local/chat', cost: 0 })
    expect(localChatCompletion({ prompt: storyboardPrompt, outputSchema: storyboardSchema }).content).toBe(completion.content)
  })

  it('answers other schemas with a minimal valid value, and no schema with text from the prompt', () => {
    const schema = {
      type: 'object',
      required: ['title', 'count', 'mood', 'beats', 'final'],
      properties: {
        title: { type: 'string', minLength: 3 },
        count: { type: 'integer', minimum: 2 },
        mood: { enum: ['calm', 'tense'] },
        beats: { type: 'array', items: { type: 'string' }, minItems: 2 },
        final: { type: 'boolean' },
        nested: { type: 'object', properties: { note: { type: ['string', 'null'] } } },
      },
    }
    const output = JSON.parse(localChatCompletion({ prompt: 'Write a logline.', outputSchema: schema }).content)
    expect(validateOutput({ schema, output })).toMatchObject({ isValid: true })
    expect(output.beats).toHaveLength(2)
    const text = localChatCompletion({ prompt: 'A storm hits the harbour. Boats drift.' }).content
    expect(text).toContain('A storm hits the harbour. Boats drift.')
    expect(localChatCompletion({ prompt: 'A storm hits the harbour. Boats drift.' }).content).toBe(text)
  })
})

describe('local media', () => {
  it('images: PNGs at each aspect ratio, colour from the scene, the same for the same input', async () => {
    for (const aspectRatio of aspectRatios) {
      const image = await localImage({ prompt: 'The lamp turns.', aspectRatio, colourKey: 'scene-1' })
      const meta = await sharp(image.data).metadata()
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'png', ...frameSize[aspectRatio] })
    }
    const one = await localImage({ prompt: 'Panel one', colourKey: 'scene-1' })
    const two = await localImage({ prompt: 'Panel two', colourKey: 'scene-1' })
    const other = await localImage({ prompt: 'Panel one', colourKey: 'scene-2' })
    const hueAt = async (data: Buffer) => [...(await sharp(data).extract({ left: 2, top: 2, width: 1, height: 1 }).raw().toBuffer())]
    expect((await localImage({ prompt: 'Panel one', colourKey: 'scene-1' })).data.equals(one.data)).toBe(true)
    const [a, b, c] = await Promise.all([hueAt(one.data), hueAt(two.data), hueAt(other.data)])
    // Same scene: the same hue (only the shade may differ); another scene: another colour.
    const hue = ([r, g, bl]: number[]) => Math.round((Math.atan2(Math.sqrt(3) * (g - bl), 2 * r - g - bl) * 180) / Math.PI)
    expect(Math.abs(hue(a) - hue(b))).toBeLessThanOrEqual(3)
    expect(c).not.toEqual(a)
  })

  it('speech and music: WAVs of the asked length, a voice per voiceId', async () => {
    const line = await localSpeech({ text: 'Who keeps the light?', voiceId: 'mara', seconds: 1.5 })
    expect(line.data.subarray(0, 4).toString()).toBe('RIFF')
    expect(line.data.readUInt32LE(40) / 2 / 22_050).toBeCloseTo(1.5, 2)
    const other = await localSpeech({ text: 'Who keeps the light?', voiceId: 'tom', seconds: 1.5 })
    expect(other.data.equals(line.data)).toBe(false)
    expect((await localSpeech({ text: 'Who keeps the light?', voiceId: 'mara', seconds: 1.5 })).data.equals(line.data)).toBe(true)
    const music = localMusic({ prompt: 'calm sea', lengthMs: 2_000 })
    expect(music.data.readUInt32LE(40) / 2 / 22_050).toBeCloseTo(2, 2)
  })

  it('embeddings: unit vectors of the asked size, equal for equal text', () => {
    for (const dimensions of [512, 1024]) {
      const vector = localEmbedding('a lighthouse', dimensions)
      expect(vector).toHaveLength(dimensions)
      expect(Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0))).toBeCloseTo(1, 6)
    }
    expect(localEmbedding('a lighthouse', 512)).toEqual(localEmbedding('a lighthouse', 512))
    expect(localEmbedding('a harbour', 512)).not.toEqual(localEmbedding('a lighthouse', 512))
  })
})

describe('the prompt-template path with AI_PROVIDER=local', () => {
  let payload: Payload
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    process.env.AI_PROVIDER = 'local'
    delete process.env.OPENROUTER_API_KEY
    ;({ payload, cleanup } = await createTestPayload('localPrompts'))
  })
  afterAll(async () => {
    delete process.env.AI_PROVIDER
    await cleanup?.()
  })

  it('a storyboard template runs on the local chat model: panels from the action text, recorded as an execution', { timeout: 120_000 }, async () => {
    const producer = (await fixtures(payload).user({ role: 'producer' })) as User
    const projectId = (await fixtures(payload).project(producer.id)).id
    const template = await promptTemplateService.create({
      actor: { payload, user: producer },
      data: {
        name: 'Storyboard plan',
        app: 'studio',
        feature: 'storyboard',
        stage: 'production',
        template: 'Plan the panels.\nAction:\n{{action}}\n\nAnswer as JSON.',
        variableDefs: [{ name: 'action', type: 'string', required: true }],
        outputSchema: storyboardSchema,
        model: 'anthropic/claude-sonnet-4',
      },
    })
    const record = await promptExecutionService.executeNow({
      actor: { payload, user: producer },
      templateId: template.id,
      projectId,
      inputs: { action: 'The door opens. Wind rushes in.' },
    })
    expect(record).toMatchObject({ status: 'success', model: 'anthropic/claude-sonnet-4' })
    const raw = record.outputRaw as { content: string; model: string }
    expect(raw.model).toBe('local/chat')
    expect(JSON.parse(raw.content)).toEqual({
      panels: [
        { description: 'The door opens.', cameraAngle: 'wide' },
        { description: 'Wind rushes in.', cameraAngle: 'medium' },
      ],
    })
  })
})
