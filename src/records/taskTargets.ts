import type { CollectionSlug, PayloadRequest } from 'payload'

import type { mediaTypes, taskTypes } from '../model/options'
import { slugs } from '../model/slugs'
import type { FieldError } from './projectConsistency'
import { relationId } from '../model/references'

type MediaType = (typeof mediaTypes)[number]
type TaskType = (typeof taskTypes)[number]

/** A slot: the spec field a task's result fills, the task type that fills it and the media type that lands there. */
export type SlotRule = {
  taskType: TaskType
  /** The mediaType of the media that lands in the slot (none for the storyboard plan, which writes panels). */
  mediaType?: MediaType
  /** Storyboard panel images name their panel (0-based). */
  hasPanel?: boolean
  /** hasMany slots get the new media appended; the others are replaced (the previous media stays a take). */
  appends?: boolean
}

/**
 * Every slot a task can fill, per collection (docs/QUEUE.md, Targets). `storyboard.panels` is the storyboard plan:
 * a script_generation task whose panels (description, cameraAngle) become the scene's storyboard.
 */
export const slotRules = {
  scenes: {
    'storyboard.panels': { taskType: 'script_generation' },
    'storyboard.panels.image': { taskType: 'image_generation', mediaType: 'storyboard', hasPanel: true },
    'production.videoSegment': { taskType: 'video_generation', mediaType: 'video_segment' },
    'production.audioTrack': { taskType: 'audio_generation', mediaType: 'audio_clip' },
    'production.sceneCut': { taskType: 'scene_assembly', mediaType: 'video_segment' },
  },
  characters: {
    'visualDesign.finalDesign': { taskType: 'image_generation', mediaType: 'character_design' },
    'visualDesign.referenceImages': { taskType: 'image_generation', mediaType: 'character_design', appends: true },
    'voiceProfile.audioSample': { taskType: 'audio_generation', mediaType: 'voice_profile' },
  },
  episodes: {
    'metadata.finalVideo': { taskType: 'scene_assembly', mediaType: 'final_video' },
    'metadata.thumbnail': { taskType: 'image_generation', mediaType: 'concept_art' },
  },
} as const satisfies Record<'scenes' | 'characters' | 'episodes', Record<string, SlotRule>>

export type TargetCollection = keyof typeof slotRules
export type TaskTarget = { collection: TargetCollection; id: string; slot: string; panel?: number }

export const targetCollections = Object.keys(slotRules) as TargetCollection[]

export function slotRule(collection: TargetCollection, slot: string): SlotRule | undefined {
  return (slotRules[collection] as Record<string, SlotRule>)[slot]
}

/** The slot path a result lands in (`storyboard.panels.2.image` for panel 2). */
export function slotPath(target: TaskTarget): string {
  return target.slot === 'storyboard.panels.image' ? `storyboard.panels.${target.panel ?? 0}.image` : target.slot
}

const PATH = 'input.parameters.target'

/** The task relations a target implies: a scene's task belongs to its scene and episode, and so on. */
export type TargetRelations = { episode?: string; scene?: string; character?: string }

/** The target of a task's parameters as stored, or undefined when it names none (not checked: see checkTaskTarget). */
export function targetOf(parameters: unknown): TaskTarget | undefined {
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) return undefined
  const target = (parameters as Record<string, unknown>).target
  if (!target || typeof target !== 'object' || Array.isArray(target)) return undefined
  const { collection, id, slot, panel } = target as Record<string, unknown>
  if (typeof collection !== 'string' || typeof id !== 'string' || typeof slot !== 'string') return undefined
  if (!(targetCollections as string[]).includes(collection)) return undefined
  return { collection: collection as TargetCollection, id, slot, ...(typeof panel === 'number' ? { panel } : {}) }
}

/**
 * The errors of a task's `input.parameters.target` (none when it names no target): its shape, that the slot exists
 * on the collection and fits the task type, that the document exists in the task's project, and that a panel
 * index names an existing panel. Messages never name another project.
 */
export async function checkTarget({
  req,
  projectId,
  taskType,
  parameters,
}: {
  req: PayloadRequest
  projectId: string
  taskType: string
  parameters: unknown
}): Promise<{ errors: FieldError[]; relations?: TargetRelations }> {
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) return { errors: [] }
  if (!Object.hasOwn(parameters, 'target')) return { errors: [] }
  const raw = (parameters as Record<string, unknown>).target
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { errors: [{ path: PATH, message: 'The target is an object { collection, id, slot, panel? }.' }] }
  }
  const { collection, id, slot, panel, ...rest } = raw as Record<string, unknown>
  const errors: FieldError[] = []
  for (const key of Object.keys(rest)) errors.push({ path: `${PATH}.${key}`, message: 'Not a field of a target.' })
  if (typeof collection !== 'string' || !(targetCollections as string[]).includes(collection)) {
    errors.push({ path: `${PATH}.collection`, message: `The target collection is one of ${targetCollections.join(', ')}.` })
    return { errors }
  }
  const rules = slotRules[collection as TargetCollection] as Record<string, SlotRule>
  const rule = typeof slot === 'string' ? rules[slot] : undefined
  if (!rule) {
    errors.push({ path: `${PATH}.slot`, message: `A ${collection} slot is one of ${Object.keys(rules).join(', ')}.` })
  } else if (rule.taskType !== taskType) {
    errors.push({ path: `${PATH}.slot`, message: `The slot ${String(slot)} is filled by a ${rule.taskType} task, not ${taskType}.` })
  }
  if (rule?.hasPanel) {
    if (typeof panel !== 'number' || !Number.isInteger(panel) || panel < 0) {
      errors.push({ path: `${PATH}.panel`, message: 'A storyboard panel image names its panel: a whole number from 0.' })
    }
  } else if (panel !== undefined) {
    errors.push({ path: `${PATH}.panel`, message: 'Only a storyboard panel image names a panel.' })
  }
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) {
    errors.push({ path: `${PATH}.id`, message: 'The target id is a document id.' })
    return { errors }
  }
  const doc = await req.payload.findByID({
    collection: collection as CollectionSlug,
    id,
    depth: 0,
    select: collection === slugs.scenes ? { project: true, episode: true, storyboard: true } : { project: true },
    disableErrors: true,
    // The target is checked against the stored document; whether the caller may create the task is the access rule's.
    overrideAccess: true,
    req,
  })
  if (!doc || relationId((doc as { project?: unknown }).project) !== projectId) {
    errors.push({ path: `${PATH}.id`, message: `${collection} ${id} does not exist in project ${projectId}.` })
    return { errors }
  }
  if (rule?.hasPanel && typeof panel === 'number') {
    const panels = (doc as { storyboard?: { panels?: unknown[] | null } | null }).storyboard?.panels ?? []
    if (panel >= panels.length) {
      errors.push({ path: `${PATH}.panel`, message: `The scene has ${panels.length} storyboard panels; panel ${panel} does not exist.` })
    }
  }
  const relations: TargetRelations =
    collection === slugs.scenes
      ? { scene: id, episode: relationId((doc as { episode?: unknown }).episode) }
      : collection === slugs.episodes
        ? { episode: id }
        : { character: id }
  return { errors, relations }
}

/** What a task fills, in words for lists (`scenes 6b1… storyboard.panels.0.image`), or null without a target. */
export function describeTarget(parameters: unknown): string | null {
  const target = targetOf(parameters)
  return target ? `${target.collection} ${target.id} ${slotPath(target)}` : null
}
