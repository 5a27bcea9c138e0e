import type { Payload } from 'payload'

import type { Media, Task } from '../payload-types'
import type { mediaTypes } from '../model/options'
import { relationId } from '../domain/references'

/**
 * Stores a generated file as media of the task's project through Payload (so the configured storage adapter, R2
 * in production, receives it), marked agentGenerated with its generationMetadata.
 */
export async function storeGeneratedMedia({
  payload,
  task,
  workerId,
  file,
  mediaType,
  provider,
  model,
  prompt,
  cost,
}: {
  payload: Payload
  task: Task
  workerId: string
  file: { data: Buffer; mimeType: string; name: string }
  mediaType: (typeof mediaTypes)[number]
  provider: 'fal' | 'openrouter' | 'elevenlabs' | 'custom'
  model: string
  prompt: string
  cost?: number | null
}): Promise<Media> {
  return (await payload.create({
    collection: 'media',
    data: {
      project: relationId(task.project),
      mediaType,
      agentGenerated: true,
      generationMetadata: {
        agentId: workerId,
        promptUsed: prompt,
        modelVersion: model,
        generationTime: new Date().toISOString(),
        taskId: task.id,
        provider,
        ...(cost !== undefined && cost !== null ? { cost } : {}),
      },
    } as never,
    file: { data: file.data, mimetype: file.mimeType, name: file.name, size: file.data.length },
    // overrideAccess: the worker is system code acting on a task it holds; the media belongs to the task's project.
    overrideAccess: true,
  })) as Media
}
