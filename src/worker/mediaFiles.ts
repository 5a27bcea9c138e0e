import type { Payload } from 'payload'

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type { Media, Task } from '../payload-types'

import { relationId } from '../model/references'
import { env, s3ClientConfig } from '../lib/env'
import { slugs } from '../model/slugs'
import { TaskInputError } from '../errors'

/** Prefix of a task's temporary directory under the OS temp dir (`<prefix><taskId>-XXXXXX`). */
export const TASK_DIR_PREFIX = 'movie-task-'

/**
 * Runs `work` with a fresh temporary directory of the task's, and removes it afterwards whatever happened
 * (success, failure, cancellation), so a worker never leaves media behind on its disk.
 */
export async function withTaskDir<T>(task: Pick<Task, 'id'>, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${TASK_DIR_PREFIX}${task.id}-`))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export type MediaFile = { media: Media; data: Buffer; mimeType: string; filename: string }

/**
 * The file of a media document, read through the configured storage (the S3/R2 bucket when S3_BUCKET is set, the
 * Media collection's local directory otherwise). The media must belong to the task's project — a task never reads
 * another project's files. A missing media or file fails the task for good (TaskInputError); a storage outage is
 * retryable.
 */
export async function readMediaFile(payload: Payload, mediaId: string, { task, role = 'input' }: { task: Pick<Task, 'id' | 'project'>; role?: string }): Promise<MediaFile> {
  // overrideAccess: the worker is system code; the project check below is the rule that applies to it.
  const media = (await payload
    .findByID({ collection: slugs.media, id: mediaId, depth: 0, overrideAccess: true, disableErrors: true })
    .catch(() => null)) as Media | null
  if (!media || !media.filename) throw new TaskInputError(`Task ${task.id}: ${role} media ${mediaId} does not exist or has no file.`)
  if (relationId(media.project) !== relationId(task.project)) {
    throw new TaskInputError(`Task ${task.id}: ${role} media ${mediaId} is not in the task's project.`)
  }
  const key = [(media as { prefix?: string | null }).prefix, media.filename].filter(Boolean).join('/')
  const data = env.s3 ? await readFromBucket(key, mediaId, task.id) : await readFromDisk(payload, key, mediaId, task.id)
  return { media, data, mimeType: media.mimeType ?? 'application/octet-stream', filename: media.filename }
}

async function readFromDisk(payload: Payload, key: string, mediaId: string, taskId: string): Promise<Buffer> {
  const staticDir = payload.collections[slugs.media]?.config.upload?.staticDir ?? path.resolve(process.cwd(), 'media')
  try {
    return await readFile(path.join(staticDir, key))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TaskInputError(`Task ${taskId}: the file of media ${mediaId} is missing from storage.`)
    throw err
  }
}

async function readFromBucket(key: string, mediaId: string, taskId: string): Promise<Buffer> {
  const s3 = env.s3!
  const client = new S3Client(s3ClientConfig(s3))
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
    return Buffer.from(await answer.Body!.transformToByteArray())
  } catch (err) {
    const name = (err as Error).name
    if (name === 'NoSuchKey' || name === 'NotFound') throw new TaskInputError(`Task ${taskId}: the file of media ${mediaId} is missing from storage.`)
    throw err
  } finally {
    client.destroy()
  }
}

/** A data URI of a file, for providers that take images inline (fal's image_url / image_urls accept them). */
export const dataUri = (file: Pick<MediaFile, 'data' | 'mimeType'>) => `data:${file.mimeType};base64,${file.data.toString('base64')}`
