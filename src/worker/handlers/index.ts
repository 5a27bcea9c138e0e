import type { TaskHandler } from '../taskHandler'

import { isPromptTask, runPromptTask } from '../../services/promptTaskRunner'

import { audioHandler } from './audioHandler'
import { embeddingHandler } from './embeddingHandler'
import { falMediaHandler } from './falMediaHandler'
import { scriptHandler } from './scriptHandler'

/**
 * The handler of each task type. scene_assembly (cutting clips and audio into a scene) has no handler yet: such a
 * task is not claimed by this worker (it stays queued for a worker that handles it).
 */
const handlers: TaskHandler[] = [
  falMediaHandler({ taskType: 'image_generation', defaultModel: 'fal-ai/nano-banana', defaultMediaType: 'concept_art' }),
  falMediaHandler({ taskType: 'video_generation', defaultModel: 'fal-ai/kling-video/v2/master/text-to-video', defaultMediaType: 'video_segment' }),
  audioHandler,
  scriptHandler,
  embeddingHandler,
]

/**
 * A task that uses a prompt template (enqueued by POST /api/v1/prompt-templates/{id}/execute) runs through the
 * prompt path whatever its type: rendered, sent to the template's model, validated and recorded as an execution.
 */
const withPromptTemplates = (handler: TaskHandler): TaskHandler => ({
  taskType: handler.taskType,
  run: (args) => (isPromptTask(args.task) ? runPromptTask({ payload: args.context.payload, task: args.task }) : handler.run(args)),
})

export const taskHandlers: TaskHandler[] = handlers.map(withPromptTemplates)
