import type { mediaTypes } from '../../model/options'
import { createFalClient, requireFiles } from '../../providers'
import { parameters, requireString, type TaskHandler } from '../taskHandler'
import { storeGeneratedMedia } from '../storeGeneratedMedia'

/**
 * Image and video generation on fal: input.parameters { prompt, model?, mediaType?, …model input }. The first
 * returned file becomes the task's media.
 */
export function falMediaHandler({
  taskType,
  defaultModel,
  defaultMediaType,
}: {
  taskType: 'image_generation' | 'video_generation'
  defaultModel: string
  defaultMediaType: (typeof mediaTypes)[number]
}): TaskHandler {
  return {
    taskType,
    async run({ task, context }) {
      const prompt = requireString(task, 'prompt')
      const { model = defaultModel, mediaType = defaultMediaType, ...rest } = parameters(task) as Record<string, unknown>
      const fal = createFalClient()
      context.reportProgress({ percentage: 10, currentStep: `generating with ${String(model)}` })
      const result = await fal.run({ model: String(model), input: { ...rest, prompt } })
      const [file] = requireFiles(result, String(model))
      context.reportProgress({ percentage: 70, currentStep: 'storing the result' })
      const { data, contentType } = await fal.download(file.url)
      const mimeType = file.contentType ?? contentType ?? 'application/octet-stream'
      const media = await storeGeneratedMedia({
        payload: context.payload,
        task,
        workerId: context.workerId,
        file: { data, mimeType, name: `${task.id}.${mimeType.split('/')[1]?.split(';')[0] ?? 'bin'}` },
        mediaType: mediaType as (typeof mediaTypes)[number],
        provider: 'fal',
        model: String(model),
        prompt,
      })
      return { mediaId: media.id, result: { provider: 'fal', model, source: file.url } }
    },
  }
}
