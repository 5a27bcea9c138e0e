import type { TaskHandler } from '../taskHandler'

import { isPromptTask, runPromptTask } from '../../services/promptTaskRunner'

import { audioHandler } from './audioHandler'
import { embeddingHandler } from './embeddingHandler'
import { imageHandler } from './imageHandler'
import { sceneAssemblyHandler } from './sceneAssemblyHandler'
import { scriptHandler } from './scriptHandler'
import { videoHandler } from './videoHandler'

/** The handler of each task type (docs/QUEUE.md). Those that need ffmpeg say so (needsMediaTools). */
const handlers: TaskHandler[] = [imageHandler, videoHandler, audioHandler, scriptHandler, embeddingHandler, sceneAssemblyHandler]

/**
 * A task that uses a prompt template (enqueued by POST /api/v1/prompt-templates/{id}/execute) runs through the
 * prompt path whatever its type: rendered, sent to the template's model, validated and recorded as an execution.
 */
const withPromptTemplates = (handler: TaskHandler): TaskHandler => ({
  taskType: handler.taskType,
  ...(handler.needsMediaTools ? { needsMediaTools: handler.needsMediaTools } : {}),
  run: (args) => (isPromptTask(args.task) ? runPromptTask({ payload: args.context.payload, task: args.task }) : handler.run(args)),
})

export const taskHandlers: TaskHandler[] = handlers.map(withPromptTemplates)
