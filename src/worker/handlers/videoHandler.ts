import sharp from 'sharp'

import type { mediaTypes } from '../../model/options'
import { createFalClient, requireFiles } from '../../providers'
import { LOCAL_PROVIDER, localImage, localModel, localVideo, usesLocalProvider } from '../../providers/local'
import { dataUri, readMediaFile, withTaskDir } from '../mediaFiles'
import { storeGeneratedMedia } from '../storeGeneratedMedia'
import { aspectRatioOf, parameters, requireNumber, requireString, targetIdOf, type TaskHandler } from '../taskHandler'
import { TaskInputError } from '../../errors'

export const FAL_TEXT_TO_VIDEO_MODEL = 'fal-ai/kling-video/v2/master/text-to-video'
export const FAL_IMAGE_TO_VIDEO_MODEL = 'fal-ai/kling-video/v2/master/image-to-video'

/** Kling renders 5 or 10 seconds; the scene cut trims or holds the last frame to the scene's length. */
const klingDuration = (seconds: number) => (seconds <= 5 ? '5' : '10')

/**
 * video_generation: input.parameters { prompt, imageMediaId?, duration (seconds, default 5), aspectRatio?, model?,
 * target?, …model input }. With imageMediaId the clip starts from that image (fal image-to-video: `image_url`, a
 * data URI of the stored file). AI_PROVIDER=local: a slow zoom into the image (or into a drawn frame of the prompt).
 */
export const videoHandler: TaskHandler = {
  taskType: 'video_generation',
  needsMediaTools: usesLocalProvider,
  async run({ task, context }) {
    const prompt = requireString(task, 'prompt')
    const duration = requireNumber(task, 'duration', { min: 0.5, max: 600, fallback: 5 })
    const aspectRatio = aspectRatioOf(task)
    const imageId = parameters(task).imageMediaId
    if (imageId !== undefined && (typeof imageId !== 'string' || !imageId)) throw new TaskInputError(`Task ${task.id}: input.parameters.imageMediaId must be a media id.`)
    const { model: requestedModel, mediaType = 'video_segment', target: _target, imageMediaId: _image, aspectRatio: _ratio, duration: _duration, ...rest } = parameters(task)
    const image = imageId ? await readMediaFile(context.payload, imageId, { task, role: 'start image' }) : undefined
    if (image) {
      const readable = image.mimeType.startsWith('image/') && (await sharp(image.data).metadata().then(() => true, () => false))
      if (!readable) throw new TaskInputError(`Task ${task.id}: start image ${imageId} is corrupt or not an image.`)
    }

    let file: { data: Buffer; mimeType: string }
    let provider: 'fal' | typeof LOCAL_PROVIDER
    let model: string
    let source: string | undefined
    if (usesLocalProvider()) {
      model = localModel('video')
      provider = LOCAL_PROVIDER
      context.reportProgress({ percentage: 10, currentStep: 'rendering locally' })
      const still = image?.data ?? (await localImage({ prompt, aspectRatio, colourKey: targetIdOf(task) ?? prompt })).data
      file = await withTaskDir(task, (dir) => localVideo({ image: still, duration, aspectRatio, dir, signal: context.signal }))
    } else {
      model = String(requestedModel ?? (image ? FAL_IMAGE_TO_VIDEO_MODEL : FAL_TEXT_TO_VIDEO_MODEL))
      provider = 'fal'
      const fal = createFalClient()
      context.reportProgress({ percentage: 10, currentStep: `generating with ${model}` })
      const input = image
        ? { duration: klingDuration(duration), ...rest, prompt, image_url: dataUri(image) }
        : { duration: klingDuration(duration), aspect_ratio: aspectRatio, ...rest, prompt }
      const [result] = requireFiles(await fal.run({ model, input }), model)
      context.reportProgress({ percentage: 70, currentStep: 'storing the result' })
      const download = await fal.download(result.url)
      file = { data: download.data, mimeType: result.contentType ?? download.contentType ?? 'video/mp4' }
      source = result.url
    }
    const media = await storeGeneratedMedia({
      payload: context.payload,
      task,
      workerId: context.workerId,
      file: { ...file, name: `${task.id}.mp4` },
      mediaType: mediaType as (typeof mediaTypes)[number],
      provider,
      model,
      prompt,
    })
    return { mediaId: media.id, result: { provider, model, duration, aspectRatio, ...(imageId ? { imageMediaId: imageId } : {}), ...(source ? { source } : {}) } }
  },
}
