import type { Payload } from 'payload'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { expectFieldErrors } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** WebVTT subtitles are media beside their final video (the episode cut stores them): text/vtt only as final_video. */
let payload: Payload
let cleanup: () => Promise<void>
let projectId: string

beforeAll(async () => {
  delete process.env.S3_BUCKET
  ;({ payload, cleanup } = await createTestPayload('subtitle-media'))
  const f = fixtures(payload)
  projectId = (await f.project((await f.user()).id)).id
})
afterAll(async () => cleanup?.())

const vtt = () => {
  const data = Buffer.from('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nHello\n')
  return { data, mimetype: 'text/vtt', name: 'episode.vtt', size: data.length }
}

it('stores a WebVTT file as final_video, and refuses it as any other media type (naming the file)', async () => {
  const subtitles = await payload.create({ collection: 'media', data: { mediaType: 'final_video', project: projectId } as never, file: vtt() })
  expect(subtitles).toMatchObject({ mimeType: 'text/vtt', mediaType: 'final_video' })
  for (const mediaType of ['storyboard', 'audio_clip', 'video_segment'] as const) {
    await expectFieldErrors(payload.create({ collection: 'media', data: { mediaType, project: projectId } as never, file: vtt() }), ['file'])
  }
})
