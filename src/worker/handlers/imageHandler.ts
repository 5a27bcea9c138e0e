import sharp from 'sharp'

import type { mediaTypes } from '../../model/options'
import { createFalClient, requireFiles } from '../../providers'
import { LOCAL_PROVIDER, localImage, localModel, usesLocalProvider } from '../../providers/local'
import { dataUri, readMediaFile } from '../mediaFiles'
import { storeGeneratedMedia } from '../storeGeneratedMedia'
import { aspectRatioOf, optionalIds, parameters, requireString, targetIdOf, type TaskHandler } from '../taskHandler'
import { TaskInputError } from '../../errors'

/** fal models used when the task names none: with reference images, the edit variant that takes image_urls. */
export const FAL_IMAGE_MODEL = 'fal-ai/nano-banana'
export const FAL_IMAGE_WITH_REFERENCES_MODEL = 'fal-ai/nano-banana/edit'

/**
 * image_generation: input.parameters { prompt, aspectRatio?, referenceMediaIds?, model?, mediaType?, target?,
 * …model input }. Reference images (e.g. a character's final design) are read from storage and passed to the model
 * (fal: `image_urls` as data URIs). AI_PROVIDER=local draws the prompt on a colour field of the scene's, the
 * references as insets.
 */
export const imageHandler: TaskHandler = {
  taskType: 'image_generation',
  async run({ task, context }) {
    const prompt = requireString(task, 'prompt')
    const aspectRatio = aspectRatioOf(task)
    const referenceIds = optionalIds(task, 'referenceMediaIds')
    const { model: requestedModel, mediaType = 'concept_art', target: _target, referenceMediaIds: _refs, aspectRatio: _ratio, ...rest } = parameters(task)
    context.reportProgress({ percentage: 5, currentStep: 'reading reference images' })
    const references = []
    for (const id of referenceIds) {
      const file = await readMediaFile(context.payload, id, { task, role: 'reference' })
      if (!file.mimeType.startsWith('image/')) throw new TaskInputError(`Task ${task.id}: reference media ${id} is not an image.`)
      await sharp(file.data)
        .metadata()
        .catch(() => {
          throw new TaskInputError(`Task ${task.id}: reference media ${id} is corrupt (not a readable image).`)
        })
      references.push(file)
    }

    let file: { data: Buffer; mimeType: string }
    let provider: 'fal' | typeof LOCAL_PROVIDER
    let model: string
    let source: string | undefined
    if (usesLocalProvider()) {
      context.reportProgress({ percentage: 20, currentStep: 'drawing locally' })
      file = await localImage({ prompt, aspectRatio, colourKey: targetIdOf(task) ?? prompt, references: references.map((reference) => reference.data) })
      provider = LOCAL_PROVIDER
      model = localModel('image')
    } else {
      model = String(requestedModel ?? (references.length > 0 ? FAL_IMAGE_WITH_REFERENCES_MODEL : FAL_IMAGE_MODEL))
      const fal = createFalClient()
      context.reportProgress({ percentage: 10, currentStep: `generating with ${model}` })
      const input = {
        ...rest,
        prompt,
        ...(parameters(task).aspectRatio ? { aspect_ratio: aspectRatio } : {}),
        ...(references.length > 0 ? { image_urls: references.map(dataUri) } : {}),
      }
      const [result] = requireFiles(await fal.run({ model, input }), model)
      context.reportProgress({ percentage: 70, currentStep: 'storing the result' })
      const download = await fal.download(result.url)
      file = { data: download.data, mimeType: result.contentType ?? download.contentType ?? 'image/png' }
      provider = 'fal'
      source = result.url
    }
    const media = await storeGeneratedMedia({
      payload: context.payload,
      task,
      workerId: context.workerId,
      file: { ...file, name: `${task.id}.${file.mimeType.split('/')[1]?.split(';')[0] ?? 'png'}` },
      mediaType: mediaType as (typeof mediaTypes)[number],
      provider,
      model,
      prompt,
    })
    return { mediaId: media.id, result: { provider, model, aspectRatio, referenceMediaIds: referenceIds, ...(source ? { source } : {}) } }
  },
}
