import type { Payload } from 'payload'

import type { Task } from '../../src/payload-types'
import type { TaskQueue } from '../../src/queue/taskQueue'

import { startWorker } from '../../src/worker/runWorker'
import { storeGeneratedMedia } from '../../src/worker/storeGeneratedMedia'
import { TaskInputError } from '../../src/errors'
import { parameters, type TaskHandler } from '../../src/worker/taskHandler'
import { pngFile } from './files'
import { wavFile, webmFile } from './mediaFiles'

/**
 * Test handlers for the production engine's int tests: a storyboard plan from the action's sentences and small
 * real files for the media (the real media handlers are tested with their providers). `seen` records the
 * parameters each handler was given.
 */
export function productionHandlers(
  payload: Payload,
  { onVideo, failVideo = false, seen = {} }: { onVideo?: (task: Task) => Promise<void>; failVideo?: boolean; seen?: Record<string, Record<string, unknown>[]> } = {},
): TaskHandler[] {
  const sentences = (text: string) => text.split(/(?<=\.)\s+/).filter(Boolean)
  const store = (task: Task, workerId: string, file: { data: Buffer; mimetype: string; name: string }, model: string) =>
    storeGeneratedMedia({ payload, task, workerId, file: { data: file.data, mimeType: file.mimetype, name: file.name }, provider: 'custom', model, prompt: String(parameters(task).prompt ?? '') })
  const record = (task: Task) => (seen[task.taskType] ??= []).push(parameters(task))
  return [
    {
      taskType: 'script_generation',
      async run({ task }) {
        record(task)
        const inputs = parameters(task).inputs as { action: string }
        return { result: { panels: sentences(inputs.action).map((description) => ({ description, cameraAngle: 'wide' })) }, metrics: { cost: 0.01 } }
      },
    },
    {
      taskType: 'image_generation',
      async run({ task, context }) {
        record(task)
        return { mediaId: (await store(task, context.workerId, await pngFile(), 'local/image')).id, metrics: { cost: 0.02 } }
      },
    },
    {
      taskType: 'video_generation',
      async run({ task, context }) {
        record(task)
        await onVideo?.(task)
        if (failVideo) throw new TaskInputError('the model refused the prompt')
        return { mediaId: (await store(task, context.workerId, webmFile(), 'local/video')).id, metrics: { cost: 0.1 } }
      },
    },
    {
      taskType: 'audio_generation',
      async run({ task, context }) {
        record(task)
        return { mediaId: (await store(task, context.workerId, wavFile(), 'local/speech')).id, metrics: { cost: 0.03 } }
      },
    },
    {
      taskType: 'scene_assembly',
      async run({ task, context }) {
        record(task)
        const media = await store(task, context.workerId, webmFile({ name: 'cut.webm' }), 'local/assembly')
        if (parameters(task).kind === 'episode') {
          const thumbnail = await storeGeneratedMedia({ payload, task, workerId: context.workerId, file: { data: (await pngFile()).data, mimeType: 'image/png', name: 'thumb.png' }, mediaType: 'concept_art', secondary: true, provider: 'custom', model: 'local/assembly', prompt: '' })
          return { mediaId: media.id, result: { durationSeconds: 9, thumbnailMediaId: thumbnail.id }, metrics: { cost: 0.05 } }
        }
        return { mediaId: media.id, metrics: { cost: 0.04 } }
      },
    },
  ]
}

/** Runs workers with `--once` until no task of the project is open (dependants become claimable round by round). */
export async function runUntilIdle({ payload, queue, handlers, projectId }: { payload: Payload; queue: TaskQueue; handlers: TaskHandler[]; projectId: string }) {
  for (let round = 0; round < 10; round++) {
    const worker = startWorker({ payload, queue, handlers, workerId: `w-${round}`, concurrency: 2, once: true, log: () => undefined })
    await worker.done
    const open = await payload.count({ collection: 'tasks', where: { and: [{ project: { equals: projectId } }, { status: { in: ['queued', 'processing'] } }] } })
    if (open.totalDocs === 0) return
  }
}
