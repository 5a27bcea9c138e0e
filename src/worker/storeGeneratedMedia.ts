import type { Payload } from 'payload'

import type { Media, Task } from '../payload-types'
import type { mediaTypes } from '../model/options'
import { relationId } from '../model/references'
import { slotPath, slotRule, targetOf } from '../records/taskTargets'

type MediaType = (typeof mediaTypes)[number]

/**
 * Stores a generated file as media of the task's project through Payload (so the configured storage adapter, R2
 * in production, receives it), marked agentGenerated with its generationMetadata. The task's target (docs/QUEUE.md,
 * Targets) decides the rest: the media belongs to the task's episode, scene and character, takes the slot's
 * mediaType and records the slot (so earlier takes of it can be listed). A secondary file of the task (an episode
 * cut's thumbnail or subtitles) passes `mediaType` and `secondary: true`: it is related but fills no slot itself.
 */
export async function storeGeneratedMedia({
  payload,
  task,
  workerId,
  file,
  mediaType,
  secondary = false,
  provider,
  model,
  prompt,
  cost,
}: {
  payload: Payload
  task: Task
  workerId: string
  file: { data: Buffer; mimeType: string; name: string }
  /** Without a target, or for a secondary file: the media type. With a target, the slot's type wins for the primary file. */
  mediaType?: MediaType
  secondary?: boolean
  provider: 'fal' | 'openrouter' | 'elevenlabs' | 'custom'
  model: string
  prompt: string
  cost?: number | null
}): Promise<Media> {
  const target = targetOf(task.input?.parameters)
  const rule = target ? slotRule(target.collection, target.slot) : undefined
  const type = (!secondary && rule?.mediaType) || mediaType
  if (!type) throw new Error(`Task ${task.id} stores a file without a media type.`)
  return (await payload.create({
    collection: 'media',
    data: {
      project: relationId(task.project),
      ...(relationId(task.episode) ? { episode: relationId(task.episode) } : {}),
      ...(relationId(task.scene) ? { scene: relationId(task.scene) } : {}),
      ...(relationId(task.character) ? { character: relationId(task.character) } : {}),
      mediaType: type,
      agentGenerated: true,
      generationMetadata: {
        agentId: workerId,
        promptUsed: prompt,
        modelVersion: model,
        generationTime: new Date().toISOString(),
        taskId: task.id,
        provider,
        ...(target && !secondary ? { slot: slotPath(target) } : {}),
        ...(cost !== undefined && cost !== null ? { cost } : {}),
      },
    } as never,
    file: { data: file.data, mimetype: file.mimeType, name: file.name, size: file.data.length },
    // overrideAccess: the worker is system code acting on a task it holds; the media belongs to the task's project.
    overrideAccess: true,
  })) as Media
}
