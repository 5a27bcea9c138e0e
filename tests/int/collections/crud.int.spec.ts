import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let ids: {
  user: string
  project: string
  episode: string
  character: string
  scene: string
  media: string
  storyboard: string
  template: string
}

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('crud'))
  const make = fixtures(payload)
  const user = await make.user()
  const project = await make.project(user.id)
  const episode = await make.episode(project.id, 1)
  const character = await make.character(project.id)
  const scene = await make.scene(project.id, episode.id, 1)
  const media = await payload.create({
    collection: 'media',
    data: { mediaType: 'style_reference', project: project.id, alt: 'reference' } as never,
    file: await pngFile(),
  })
  const storyboard = await payload.create({
    collection: 'media',
    data: { mediaType: 'storyboard', project: project.id } as never,
    file: await pngFile(),
  })
  const template = await payload.create({
    collection: 'prompt-templates',
    data: { name: 'Storyboard panel', template: 'Draw {{scene}}', variableDefs: [{ name: 'scene' }], app: 'studio', stage: 'storyboard' },
  })
  ids = {
    user: user.id,
    project: project.id,
    episode: episode.id,
    character: character.id,
    scene: scene.id,
    media: media.id,
    storyboard: storyboard.id,
    template: template.id,
  }
})
afterAll(async () => cleanup?.())

type Case = {
  collection: 'projects' | 'episodes' | 'characters' | 'scenes' | 'media' | 'sessions' | 'tasks' | 'prompt-templates' | 'prompts-executed' | 'users'
  create: () => Promise<Record<string, unknown>> | Record<string, unknown>
  update: Record<string, unknown>
  /** A path read back after the update and its expected value. */
  check: [string, unknown]
  file?: boolean
}

const get = (doc: unknown, path: string) => path.split('.').reduce<any>((value, key) => value?.[key], doc)

const cases: Case[] = [
  {
    collection: 'users',
    create: () => ({ email: 'crud-user@example.test', password: 'Str0ng!password', name: 'Ada', preferences: { theme: 'dark', notifications: false, language: 'fr' } }),
    update: { subscription: { tier: 'pro', maxProjects: 20, maxEpisodesPerProject: 30, features: ['4k', 'voice'] } },
    check: ['subscription.features', ['4k', 'voice']],
  },
  {
    collection: 'projects',
    create: () => ({
      title: 'Night Shift',
      description: 'A crew of androids runs a diner.',
      genre: 'sci-fi',
      episodeCount: 8,
      targetAudience: 'teen',
      createdBy: ids.user,
      collaborators: [ids.user],
      projectSettings: { aspectRatio: '21:9', episodeDuration: 22, qualityTier: 'draft' },
      progress: { currentPhase: 'visual_design', completedSteps: ['logline'], overallProgress: 10 },
    }),
    update: { status: 'pre-production', projectSettings: { aspectRatio: '4:3' } },
    check: ['projectSettings.aspectRatio', '4:3'],
  },
  {
    collection: 'episodes',
    create: () => ({
      project: ids.project,
      episodeNumber: 2,
      title: 'Pilot, part two',
      synopsis: { logline: 'The diner opens.', summary: 'Long text', themes: ['work', 'loneliness'] },
      script: { content: 'INT. DINER - NIGHT', version: 1 },
      metadata: { duration: 1320, thumbnail: ids.media },
    }),
    update: { status: 'scripting', synopsis: { themes: ['work'] } },
    check: ['synopsis.themes', ['work']],
  },
  {
    collection: 'characters',
    create: () => ({
      project: ids.project,
      name: 'Unit 7',
      profile: {
        age: 'unknown',
        personality: ['dry', 'loyal'],
        motivations: ['freedom'],
        relationships: [{ characterId: ids.character, relationshipType: 'sibling', description: 'Same factory' }],
      },
      visualDesign: { referenceImages: [ids.media], colorPalette: ['#112233'] },
      voiceProfile: { voiceId: 'el-123', voiceCharacteristics: ['metallic'] },
    }),
    update: { description: 'Short-order cook' },
    check: ['description', 'Short-order cook'],
  },
  {
    collection: 'scenes',
    create: () => ({
      project: ids.project,
      episode: ids.episode,
      sceneNumber: 2,
      title: 'Opening',
      script: {
        action: 'Lights flicker on.',
        dialogue: [{ character: ids.character, lines: 'We are open.', emotion: 'flat', timing: 3 }],
        duration: 30,
      },
      storyboard: { panels: [{ panelNumber: 1, description: 'Wide shot', image: ids.storyboard, cameraAngle: 'wide' }] },
      characters: [ids.character],
      location: 'Diner',
      timeOfDay: 'night',
      mood: 'quiet',
    }),
    update: { production: { status: 'generating', attempts: 1, lastAttempt: new Date('2026-01-02T03:04:05Z').toISOString() } },
    check: ['production.status', 'generating'],
  },
  {
    collection: 'media',
    file: true,
    create: () => ({
      project: ids.project,
      episode: ids.episode,
      scene: ids.scene,
      character: ids.character,
      alt: 'Unit 7 front view',
      mediaType: 'character_design',
      agentGenerated: true,
      generationMetadata: { agentId: 'designer', provider: 'fal', cost: 0.04, taskId: 't-1', promptUsed: 'robot' },
      embedding: Array.from({ length: 1024 }, (_, i) => i / 1024),
      tags: ['front'],
      relatedElements: { characters: [ids.character], episode: 1, scene: 'opening', timestamp: 12 },
      technicalData: { resolution: '64x48' },
    }),
    update: { status: 'archived' },
    check: ['status', 'archived'],
  },
  {
    collection: 'sessions',
    create: () => ({
      project: ids.project,
      user: ids.user,
      currentStep: 'casting',
      conversationHistory: [{ role: 'user', content: 'Add a villain', timestamp: new Date().toISOString(), metadata: { via: 'chat' } }],
      contextData: { currentEpisode: ids.episode, currentScene: ids.scene, focusCharacter: ids.character, workflowState: { step: 2 } },
      lastChoices: [{ choiceId: 'c1', label: 'Yes', action: 'confirm', metadata: { weight: 1 } }],
      awaitingUserInput: true,
    }),
    update: { sessionState: 'paused' },
    check: ['sessionState', 'paused'],
  },
  {
    collection: 'tasks',
    create: () => ({
      taskType: 'image_generation',
      project: ids.project,
      episode: ids.episode,
      scene: ids.scene,
      character: ids.character,
      priority: 9,
      input: { parameters: { width: 1024, seed: 7 } },
    }),
    update: { status: 'processing', worker: { workerId: 'w-1' }, progress: { percentage: 50, currentStep: 'render' } },
    check: ['progress.percentage', 50],
  },
  {
    collection: 'prompt-templates',
    create: () => ({
      name: 'Character sheet',
      app: 'studio',
      feature: 'characters',
      stage: 'design',
      tags: [{ value: 'portrait' }],
      template: 'Draw {{name}}',
      variableDefs: [{ name: 'name', type: 'json', required: true, description: 'Who', defaultValue: ['Unit 7'] }],
      outputSchema: { type: 'object' },
      model: 'fal-ai/nano-banana',
    }),
    update: { template: 'Draw {{name}} in colour' },
    check: ['template', 'Draw {{name}} in colour'],
  },
  {
    collection: 'prompts-executed',
    create: () => ({
      templateId: ids.template,
      app: 'studio',
      projectId: ids.project,
      tagsSnapshot: [{ value: 'portrait' }],
      inputs: { name: 'Unit 7' },
      resolvedPrompt: 'Draw Unit 7',
      model: 'fal-ai/nano-banana',
      status: 'success',
      outputRaw: { url: 'r2://x' },
      startedAt: new Date().toISOString(),
    }),
    update: { notes: 'checked' },
    check: ['notes', 'checked'],
  },
]

describe.each(cases)('$collection', ({ collection, create, update, check, file }) => {
  it('creates, reads, updates and deletes through the Local API', async () => {
    const data = await create()
    const created = (await payload.create({
      collection,
      data: data as never,
      ...(file ? { file: await pngFile(32, 32, `${collection}.png`) } : {}),
    })) as unknown as { id: string }
    expect(created.id).toBeTruthy()

    const read = await payload.findByID({ collection, id: created.id, depth: 0 })
    for (const [key, value] of Object.entries(data)) {
      if (key === 'password') continue
      expect(get(read, key), key).toEqual(typeof value === 'object' && value !== null ? expect.anything() : value)
    }

    await payload.update({ collection, id: created.id, data: update as never })
    const updated = await payload.findByID({ collection, id: created.id, depth: 0 })
    expect(get(updated, check[0])).toEqual(check[1])

    await payload.delete({ collection, id: created.id })
    const gone = await payload.find({ collection, where: { id: { equals: created.id } } })
    expect(gone.totalDocs).toBe(0)
  })
})

describe('round trips of nested data', () => {
  it('keeps groups, arrays, hasMany text, json and a 1024-number embedding intact', async () => {
    const embedding = Array.from({ length: 1024 }, (_, i) => Math.sin(i))
    const media = await payload.create({
      collection: 'media',
      data: { project: ids.project, mediaType: 'concept_art', embedding, tags: ['a', 'b'] } as never,
      file: await pngFile(16, 16, 'embedding.png'),
    })
    const read = await payload.findByID({ collection: 'media', id: media.id, depth: 0 })
    expect(read.embedding).toEqual(embedding)
    expect(read.tags).toEqual(['a', 'b'])

    const session = await payload.create({
      collection: 'sessions',
      data: {
        project: ids.project,
        user: ids.user,
        conversationHistory: [{ role: 'assistant', content: 'Hi', metadata: { nested: { list: [1, 2] } } }],
      } as never,
    })
    const readSession = await payload.findByID({ collection: 'sessions', id: session.id, depth: 0 })
    expect(readSession.conversationHistory?.[0]?.metadata).toEqual({ nested: { list: [1, 2] } })
  })
})

describe('relationships', () => {
  it('populate at depth 1 and stay ids at depth 0', async () => {
    const scene = await payload.findByID({ collection: 'scenes', id: ids.scene, depth: 1 })
    expect(typeof scene.episode === 'object' && scene.episode.id).toBe(ids.episode)
    expect(typeof scene.project === 'object' && scene.project?.title).toBeTruthy()

    const shallow = await payload.findByID({ collection: 'scenes', id: ids.scene, depth: 0 })
    expect(shallow.episode).toBe(ids.episode)

    const project = await payload.findByID({ collection: 'projects', id: ids.project, depth: 1 })
    expect(typeof project.createdBy === 'object' && project.createdBy?.id).toBe(ids.user)
  })

  it('finds with a where, sort and pagination', async () => {
    const make = fixtures(payload)
    for (const n of [5, 3, 4]) await make.episode(ids.project, n)
    const page = await payload.find({
      collection: 'episodes',
      where: { project: { equals: ids.project }, episodeNumber: { greater_than: 2 } },
      sort: 'episodeNumber',
      limit: 2,
      page: 1,
      depth: 0,
    })
    expect(page.docs.map((episode) => episode.episodeNumber)).toEqual([3, 4])
    expect(page.totalDocs).toBe(3)
    expect(page.totalPages).toBe(2)
  })

  it('refuses a style reference that is not a style_reference media', async () => {
    const notAStyle = await payload.create({
      collection: 'media',
      data: { project: ids.project, mediaType: 'storyboard' } as never,
      file: await pngFile(8, 8, 'board.png'),
    })
    await expect(
      payload.update({ collection: 'projects', id: ids.project, data: { styleReferences: [notAStyle.id] } }),
    ).rejects.toMatchObject({ data: { errors: [expect.objectContaining({ path: 'styleReferences' })] } })
  })

  it('refuses media of the wrong type in a typed media slot', async () => {
    const image = await payload.create({
      collection: 'media',
      data: { project: ids.project, mediaType: 'storyboard' } as never,
      file: await pngFile(8, 8, 'not-a-video.png'),
    })
    await expect(
      payload.update({ collection: 'scenes', id: ids.scene, data: { production: { videoSegment: image.id } } as never }),
    ).rejects.toMatchObject({ data: { errors: [expect.objectContaining({ path: 'production.videoSegment' })] } })
  })
})
