import { relationId } from '../../model/references'
import { env } from '../../lib/env'
import { createJinaClient } from '../../providers'
import { localEmbedding, usesLocalProvider } from '../../providers/local'
import { parameters, requireString, type TaskHandler } from '../taskHandler'
import { TaskInputError } from '../../errors'

/**
 * Embeddings on Jina v4: input.parameters { mediaId, text } → the vector written to that media's `embedding`
 * (EMBEDDING_DIMENSIONS, 512 or 1024), which the vector search index reads. AI_PROVIDER=local: a unit vector from a
 * hash of the text.
 */
export const embeddingHandler: TaskHandler = {
  taskType: 'embedding_generation',
  async run({ task, context }) {
    const mediaId = requireString(task, 'mediaId')
    const text = requireString(task, 'text')
    const dimensions = Number(parameters(task).dimensions ?? env.embeddingDimensions)
    if (dimensions !== 512 && dimensions !== 1024) throw new TaskInputError('Embeddings have 512 or 1024 dimensions.')
    // The write below runs with system rights: only media of the task's own project (checked before any provider
    // call, and again by the collection when the task is enqueued or changed). Missing and foreign read alike.
    const media = await context.payload
      .findByID({ collection: 'media', id: mediaId, depth: 0, select: { project: true }, overrideAccess: true, disableErrors: true })
      .catch(() => null)
    if (!media || relationId(media.project) !== relationId(task.project)) {
      throw new TaskInputError(`Media ${mediaId} does not exist in this task's project.`)
    }
    const { embeddings, tokensUsed } = usesLocalProvider()
      ? { embeddings: [localEmbedding(text, dimensions)], tokensUsed: text.split(/\s+/).filter(Boolean).length }
      : await createJinaClient().embed({ input: [{ text }], dimensions })
    // overrideAccess: the worker is system code writing the vector of media in its task's project.
    await context.payload.update({ collection: 'media', id: mediaId, data: { embedding: embeddings[0] } as never, overrideAccess: true })
    return { mediaId, result: { dimensions }, metrics: { tokensUsed } }
  },
}
