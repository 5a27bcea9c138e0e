import type { Field, SanitizedConfig } from 'payload'

import { beforeAll, describe, expect, it } from 'vitest'

/**
 * Every field of the data design, by its exact path, with its kind, enum values, range and relationship target,
 * checked against the sanitized Payload config (what the admin, REST, GraphQL and payload-types.ts are built from).
 */
type Expect =
  | { kind: 'text' | 'textarea' | 'checkbox' | 'date' | 'json' | 'group' | 'array' }
  | { kind: 'textMany' }
  | { kind: 'number'; min?: number; max?: number; many?: boolean }
  | { kind: 'select'; values: string[] }
  | { kind: 'rel'; to: string; many?: boolean }

const text = { kind: 'text' } as const
const textarea = { kind: 'textarea' } as const
const textMany = { kind: 'textMany' } as const
const json = { kind: 'json' } as const
const date = { kind: 'date' } as const
const group = { kind: 'group' } as const
const array = { kind: 'array' } as const
const number = (min?: number, max?: number) => ({ kind: 'number', min, max }) as const
const select = (...values: string[]) => ({ kind: 'select', values }) as const
const rel = (to: string, many = false) => ({ kind: 'rel', to, many }) as const

const spec: Record<string, Record<string, Expect>> = {
  users: {
    email: text,
    name: text,
    role: select('user', 'admin', 'producer'),
    preferences: group,
    'preferences.theme': text,
    'preferences.notifications': { kind: 'checkbox' },
    'preferences.language': text,
    subscription: group,
    'subscription.tier': select('free', 'pro', 'enterprise'),
    'subscription.maxProjects': number(),
    'subscription.maxEpisodesPerProject': number(),
    'subscription.features': textMany,
  },
  projects: {
    title: text,
    description: textarea,
    genre: select('action', 'comedy', 'drama', 'horror', 'sci-fi', 'thriller', 'romance', 'documentary'),
    episodeCount: number(1, 50),
    targetAudience: select('children', 'family', 'teen', 'adult'),
    status: select('concept', 'pre-production', 'production', 'post-production', 'completed', 'on-hold'),
    createdBy: rel('users'),
    collaborators: rel('users', true),
    styleReferences: rel('media', true),
    'projectSettings.aspectRatio': select('16:9', '4:3', '21:9'),
    'projectSettings.episodeDuration': number(),
    'projectSettings.qualityTier': select('draft', 'standard', 'premium'),
    'progress.currentPhase': select(
      'story_development',
      'character_creation',
      'visual_design',
      'audio_design',
      'scene_production',
      'post_production',
      'final_assembly',
    ),
    'progress.completedSteps': textMany,
    'progress.overallProgress': number(0, 100),
  },
  episodes: {
    project: rel('projects'),
    episodeNumber: number(),
    title: text,
    description: textarea,
    'synopsis.logline': text,
    'synopsis.summary': textarea,
    'synopsis.themes': textMany,
    status: select('planning', 'scripting', 'storyboarding', 'production', 'editing', 'completed'),
    'script.content': textarea,
    'script.version': number(),
    'script.wordCount': number(),
    'script.estimatedDuration': number(),
    'production.sceneCount': number(),
    'production.completedScenes': number(),
    'production.renderProgress': number(0, 100),
    'metadata.duration': number(),
    'metadata.finalVideo': rel('media'),
    'metadata.thumbnail': rel('media'),
  },
  characters: {
    project: rel('projects'),
    name: text,
    description: textarea,
    'profile.age': text,
    'profile.gender': text,
    'profile.personality': textMany,
    'profile.backstory': textarea,
    'profile.motivations': textMany,
    'profile.relationships': array,
    'profile.relationships.characterId': rel('characters'),
    'profile.relationships.relationshipType': text,
    'profile.relationships.description': text,
    'visualDesign.referenceImages': rel('media', true),
    'visualDesign.finalDesign': rel('media'),
    'visualDesign.styleNotes': textarea,
    'visualDesign.colorPalette': textMany,
    'voiceProfile.voiceId': text,
    'voiceProfile.audioSample': rel('media'),
    'voiceProfile.voiceCharacteristics': textMany,
    appearances: array,
    'appearances.episodeId': rel('episodes'),
    'appearances.sceneIds': rel('scenes', true),
    'appearances.screenTime': number(),
  },
  scenes: {
    project: rel('projects'),
    episode: rel('episodes'),
    sceneNumber: number(),
    title: text,
    'script.action': textarea,
    'script.dialogue': array,
    'script.dialogue.character': rel('characters'),
    'script.dialogue.lines': textarea,
    'script.dialogue.emotion': text,
    'script.dialogue.timing': number(),
    'script.duration': number(),
    'storyboard.panels': array,
    'storyboard.panels.panelNumber': number(),
    'storyboard.panels.description': textarea,
    'storyboard.panels.image': rel('media'),
    'storyboard.panels.cameraAngle': text,
    'storyboard.panels.notes': textarea,
    'production.status': select('pending', 'generating', 'reviewing', 'approved', 'failed'),
    'production.videoSegment': rel('media'),
    'production.audioTrack': rel('media'),
    'production.attempts': number(),
    'production.lastAttempt': date,
    characters: rel('characters', true),
    location: text,
    timeOfDay: select('dawn', 'day', 'dusk', 'night'),
    mood: text,
  },
  media: {
    filename: text,
    mimeType: text,
    filesize: number(),
    width: number(),
    height: number(),
    url: text,
    thumbnailURL: text,
    project: rel('projects'),
    episode: rel('episodes'),
    scene: rel('scenes'),
    character: rel('characters'),
    alt: text,
    mediaType: select(
      'style_reference',
      'character_design',
      'environment_design',
      'concept_art',
      'storyboard',
      'video_segment',
      'audio_clip',
      'voice_profile',
      'music_track',
      'sound_effect',
      'final_video',
    ),
    agentGenerated: { kind: 'checkbox' },
    'generationMetadata.agentId': text,
    'generationMetadata.promptUsed': textarea,
    'generationMetadata.modelVersion': text,
    'generationMetadata.generationTime': date,
    'generationMetadata.taskId': text,
    'generationMetadata.provider': select('fal', 'openrouter', 'elevenlabs', 'custom'),
    'generationMetadata.cost': number(),
    embedding: { kind: 'number', many: true },
    description: textarea,
    tags: textMany,
    'relatedElements.characters': rel('characters', true),
    'relatedElements.episode': number(),
    'relatedElements.scene': text,
    'relatedElements.timestamp': number(),
    'technicalData.duration': number(),
    'technicalData.resolution': text,
    'technicalData.fps': number(),
    'technicalData.sampleRate': number(),
    'technicalData.bitrate': number(),
    'technicalData.codec': text,
    version: number(),
    status: select('active', 'draft', 'archived', 'processing', 'failed'),
  },
  sessions: {
    project: rel('projects'),
    user: rel('users'),
    currentStep: text,
    conversationHistory: array,
    'conversationHistory.role': select('user', 'assistant', 'system'),
    'conversationHistory.content': textarea,
    'conversationHistory.timestamp': date,
    'conversationHistory.metadata': json,
    'contextData.currentEpisode': rel('episodes'),
    'contextData.currentScene': rel('scenes'),
    'contextData.focusCharacter': rel('characters'),
    'contextData.workflowState': json,
    'contextData.userPreferences': json,
    awaitingUserInput: { kind: 'checkbox' },
    lastChoices: array,
    'lastChoices.choiceId': text,
    'lastChoices.label': text,
    'lastChoices.action': text,
    'lastChoices.metadata': json,
    sessionState: select('active', 'paused', 'completed', 'error'),
  },
  tasks: {
    taskType: select(
      'image_generation',
      'video_generation',
      'audio_generation',
      'script_generation',
      'embedding_generation',
      'scene_assembly',
    ),
    project: rel('projects'),
    episode: rel('episodes'),
    scene: rel('scenes'),
    character: rel('characters'),
    status: select('queued', 'processing', 'completed', 'failed', 'cancelled'),
    priority: number(1, 10),
    'input.promptId': rel('prompts-executed'),
    'input.parameters': json,
    'input.dependencies': rel('tasks', true),
    'output.mediaId': rel('media'),
    'output.result': json,
    'output.metrics.processingTime': number(),
    'output.metrics.cost': number(),
    'output.metrics.tokensUsed': number(),
    'progress.percentage': number(0, 100),
    'progress.currentStep': text,
    'progress.estimatedCompletion': date,
    'error.message': textarea,
    'error.code': text,
    'error.retryCount': number(),
    'error.lastRetry': date,
    'worker.workerId': text,
    'worker.startedAt': date,
    'worker.heartbeat': date,
    completedAt: date,
  },
  'prompt-templates': {
    name: text,
    app: text,
    feature: text,
    stage: text,
    tags: array,
    'tags.value': text,
    template: textarea,
    variableDefs: array,
    'variableDefs.name': text,
    'variableDefs.type': select('string', 'number', 'boolean', 'json', 'text', 'url'),
    'variableDefs.required': { kind: 'checkbox' },
    'variableDefs.description': textarea,
    'variableDefs.defaultValue': json,
    outputSchema: json,
    model: select('anthropic/claude-sonnet-4', 'qwen/qwen3-vl-235b-a22b-thinking', 'fal-ai/nano-banana', 'fal-ai/nano-banana/edit'),
    notes: textarea,
    _version: number(),
  },
  'prompts-executed': {
    templateId: rel('prompt-templates'),
    app: text,
    feature: text,
    stage: text,
    projectId: text,
    tagsSnapshot: array,
    'tagsSnapshot.value': text,
    inputs: json,
    resolvedPrompt: textarea,
    model: text,
    status: select('success', 'error'),
    outputRaw: json,
    errorMessage: textarea,
    startedAt: date,
    finishedAt: date,
    notes: textarea,
  },
}

/** Data fields by dotted path; rows, collapsibles and unnamed tabs add no path segment. */
function fieldsByPath(fields: Field[], prefix = '', into = new Map<string, Field>()) {
  for (const field of fields) {
    if (field.type === 'tabs') {
      for (const tab of field.tabs) fieldsByPath(tab.fields, 'name' in tab && tab.name ? `${prefix}${tab.name}.` : prefix, into)
    } else if ('name' in field && field.name) {
      into.set(prefix + field.name, field)
      if (field.type === 'group' || field.type === 'array') fieldsByPath(field.fields, `${prefix}${field.name}.`, into)
    } else if ('fields' in field) {
      fieldsByPath(field.fields, prefix, into)
    }
  }
  return into
}

/** The values a field accepts: a select's options, or the options of a text field validated as an enum. */
function enumValues(field: Field): string[] | undefined {
  if (field.type === 'select') return field.options.map((option) => (typeof option === 'string' ? option : option.value))
  const clientProps = (field.admin as { components?: { Field?: { clientProps?: { options?: { value: string }[] } } } })?.components?.Field
    ?.clientProps
  return clientProps?.options?.map((option) => option.value)
}

let config: SanitizedConfig
beforeAll(async () => {
  config = await (await import('@payload-config')).default
})

describe.each(Object.entries(spec))('%s', (slug, fields) => {
  it.each(Object.entries(fields))('%s', (path, expected) => {
    const collection = config.collections.find((candidate) => candidate.slug === slug)
    expect(collection, slug).toBeDefined()
    const field = fieldsByPath(collection!.fields).get(path)
    expect(field, `${slug}.${path} exists`).toBeDefined()
    const actual = field as Field & Record<string, unknown>
    switch (expected.kind) {
      case 'select':
        expect(enumValues(actual)?.slice().sort()).toEqual(expected.values.slice().sort())
        break
      case 'rel':
        expect(actual.type).toMatch(/^(relationship|upload)$/)
        expect(actual.relationTo).toBe(expected.to)
        expect(Boolean(actual.hasMany)).toBe(Boolean(expected.many))
        break
      case 'number':
        expect(actual.type).toBe('number')
        if (expected.min !== undefined) expect(actual.min).toBe(expected.min)
        if (expected.max !== undefined) expect(actual.max).toBe(expected.max)
        expect(Boolean(actual.hasMany)).toBe(Boolean(expected.many))
        break
      case 'textMany':
        expect(actual.type).toBe('text')
        expect(actual.hasMany).toBe(true)
        break
      case 'text':
        expect(['text', 'email']).toContain(actual.type)
        expect(Boolean(actual.hasMany)).toBe(false)
        break
      default:
        expect(actual.type).toBe(expected.kind)
    }
  })
})
