import type { Payload } from 'payload'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { mediaTypes } from '../../../src/model/options'
import { DEFAULT_MAX_UPLOAD_BYTES, maxUploadBytes, mimeFamilyByMediaType } from '../../../src/domain/mediaRules'
import { expectFieldErrors } from '../../helpers/errors'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { wavFile, webmFile } from '../../helpers/mediaFiles'
import { createTestPayload } from '../../helpers/payload'

/** Media on local disk (no S3_BUCKET): the file data, sharp's figures and the upload rules. */
let payload: Payload
let cleanup: () => Promise<void>
let projectId: string
const mediaDir = path.resolve(process.cwd(), 'media')

beforeAll(async () => {
  delete process.env.S3_BUCKET
  ;({ payload, cleanup } = await createTestPayload('upload-validation'))
  const f = fixtures(payload)
  projectId = (await f.project((await f.user()).id)).id
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

const mediaCount = async () => (await payload.count({ collection: 'media' })).totalDocs
const upload = (mediaType: (typeof mediaTypes)[number], file: { data: Buffer; mimetype: string; name: string; size: number }) =>
  payload.create({ collection: 'media', data: { mediaType, project: projectId } as never, file })

describe('an image on local disk', () => {
  it('gets its dimensions, a thumbnail, its resolution, size, type and URLs, and its bytes as uploaded', async () => {
    const file = await pngFile(800, 600, 'still.png')
    const media = await upload('concept_art', file)
    expect(media).toMatchObject({ width: 800, height: 600, filesize: file.size, mimeType: 'image/png' })
    expect(media.technicalData?.resolution).toBe('800x600')
    expect(media.url).toBe(`/api/media/file/${media.filename}`)
    const thumbnail = media.sizes?.thumbnail
    expect(thumbnail).toMatchObject({ width: 400, height: 300, mimeType: 'image/png' })
    expect(media.thumbnailURL).toBe(`/api/media/file/${thumbnail?.filename}`)
    expect(readFileSync(path.join(mediaDir, media.filename!)).equals(file.data)).toBe(true)
    expect(existsSync(path.join(mediaDir, thumbnail!.filename!))).toBe(true)

    await payload.delete({ collection: 'media', id: media.id })
    expect(existsSync(path.join(mediaDir, media.filename!))).toBe(false)
    expect(existsSync(path.join(mediaDir, thumbnail!.filename!))).toBe(false)
  })
})

describe('mime families per media type', () => {
  it('cover every media type', () => {
    expect(Object.keys(mimeFamilyByMediaType).sort()).toEqual([...mediaTypes].sort())
  })

  it('accept audio for audio types and video for video types', async () => {
    const clip = await upload('audio_clip', wavFile())
    expect(clip).toMatchObject({ mimeType: 'audio/wav', filesize: wavFile().size })
    expect(clip.technicalData?.resolution ?? null).toBeNull()
    const segment = await upload('video_segment', webmFile())
    expect(segment.mimeType).toBe('video/webm')
  })

  it('refuse a file of another family with 400 on `file`, storing nothing', async () => {
    const before = await mediaCount()
    const imageAsVideo = await expectFieldErrors(upload('video_segment', await pngFile()), ['file'])
    expect(imageAsVideo.data?.errors?.[0].message).toMatch(/video_segment must be video/)
    await expectFieldErrors(upload('storyboard', wavFile()), ['file'])
    await expectFieldErrors(upload('voice_profile', webmFile()), ['file'])
    // A file whose declared type lies is judged by its content: WAV bytes sent as a PNG are audio.
    await expectFieldErrors(upload('storyboard', { ...wavFile(), mimetype: 'image/png', name: 'fake.png' }), ['file'])
    expect(await mediaCount()).toBe(before)
  })

  it('refuse changing the type of stored media to another family with 400 on `mediaType`', async () => {
    const still = await upload('environment_design', await pngFile())
    await expectFieldErrors(payload.update({ collection: 'media', id: still.id, data: { mediaType: 'music_track' } }), ['mediaType'])
    const retyped = await payload.update({ collection: 'media', id: still.id, data: { mediaType: 'storyboard' } })
    expect(retyped.mediaType).toBe('storyboard')
  })
})

describe('the size limit', () => {
  it('defaults to 100 MiB and refuses a larger file with 400 on `file`', async () => {
    expect(maxUploadBytes()).toBe(DEFAULT_MAX_UPLOAD_BYTES)
    const file = await pngFile(300, 300)
    process.env.MEDIA_MAX_UPLOAD_BYTES = String(file.size - 1)
    try {
      const before = await mediaCount()
      const error = await expectFieldErrors(upload('concept_art', file), ['file'])
      expect(error.data?.errors?.[0].message).toMatch(/larger than the upload limit/)
      expect(await mediaCount()).toBe(before)
      process.env.MEDIA_MAX_UPLOAD_BYTES = String(file.size)
      expect((await upload('concept_art', file)).filesize).toBe(file.size)
    } finally {
      delete process.env.MEDIA_MAX_UPLOAD_BYTES
    }
  })
})
