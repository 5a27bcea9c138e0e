import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { pngFile } from '../../helpers/files'
import { requestJson } from '../../helpers/http'
import { wavFile } from '../../helpers/mediaFiles'

/**
 * Media in an S3-compatible bucket (s3rver on loopback, path-style, as R2 is reached), through the app over HTTP,
 * plus the domain rules' answers over REST: 400 with field paths and 409 for an illegal status change.
 */
const bucket = 'media-e2e'
const uploadLimit = 200_000
let s3: S3rver
let s3Dir: string
let app: RunningApp
let token: string
let projectId: string

/** The object keys in the bucket, read from s3rver's folder. */
function bucketKeys(): string[] {
  const root = path.join(s3Dir, bucket)
  const keys: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry)
      if (statSync(full).isDirectory()) walk(full)
      else if (entry.endsWith('._S3rver_object')) keys.push(path.relative(root, full).replace(/\._S3rver_object$/, ''))
    }
  }
  walk(root)
  return keys.sort()
}

async function uploadMedia(data: Record<string, unknown>, file: { data: Buffer; mimetype: string; name: string }) {
  const form = new FormData()
  form.append('_payload', JSON.stringify(data))
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.mimetype }), file.name)
  const response = await fetch(`${app.url}/api/media`, { method: 'POST', headers: { authorization: `JWT ${token}` }, body: form })
  return { status: response.status, body: await response.json() }
}

beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(os.tmpdir(), 's3rver-e2e-'))
  s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true, configureBuckets: [{ name: bucket }] })
  const { port } = (await s3.run()) as { port: number }
  app = await startApp('s3_media', {
    S3_BUCKET: bucket,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_REGION: 'auto',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    MEDIA_MAX_UPLOAD_BYTES: String(uploadLimit),
  })
  const credentials = { email: 'producer@example.test', password: 'Producer-passw0rd!' }
  await requestJson(`${app.url}/api/users/first-register`, { method: 'POST', body: credentials })
  token = (await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: credentials })).body.token
  const project = await requestJson(`${app.url}/api/projects`, {
    method: 'POST',
    token,
    body: { title: 'Bucket Test', genre: 'drama', episodeCount: 3 },
  })
  expect(project.status).toBe(201)
  projectId = project.body.doc.id
})
afterAll(async () => {
  await app?.stop()
  await s3?.close().catch(() => undefined)
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true })
})

describe('media in the bucket', () => {
  it('stores an image and its thumbnail, serves them byte-identical through Payload, and deletes both', async () => {
    const file = await pngFile(640, 480, 'keyframe.png')
    const created = await uploadMedia({ mediaType: 'concept_art', project: projectId }, file)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const doc = created.body.doc
    expect(doc).toMatchObject({ width: 640, height: 480, filesize: file.data.length, mimeType: 'image/png' })
    expect(doc.technicalData.resolution).toBe('640x480')
    // Payload's file URL (access-controlled), absolute since the app knows its server URL
    expect(doc.url).toBe(`${app.url}/api/media/file/${doc.filename}`)
    expect(doc.thumbnailURL).toBe(`${app.url}/api/media/file/${doc.sizes.thumbnail.filename}`)
    expect(bucketKeys()).toEqual([doc.filename, doc.sizes.thumbnail.filename].sort())

    const original = await fetch(doc.url, { headers: { authorization: `JWT ${token}` } })
    expect(original.status).toBe(200)
    expect(Buffer.from(await original.arrayBuffer()).equals(file.data)).toBe(true)
    const thumbnail = await fetch(doc.thumbnailURL, { headers: { authorization: `JWT ${token}` } })
    expect(thumbnail.status).toBe(200)
    expect(Buffer.from(await thumbnail.arrayBuffer()).length).toBe(doc.sizes.thumbnail.filesize)

    const deleted = await requestJson(`${app.url}/api/media/${doc.id}`, { method: 'DELETE', token })
    expect(deleted.status).toBe(200)
    expect(bucketKeys()).toEqual([])
  })

  it('refuses a file of the wrong family and a file over the limit with 400 on `file`, leaving the bucket empty', async () => {
    const wrong = await uploadMedia({ mediaType: 'storyboard', project: projectId }, wavFile())
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'file' })])

    const big = wavFile({ seconds: 30 }) // 240 044 bytes
    expect(big.size).toBeGreaterThan(uploadLimit)
    const tooBig = await uploadMedia({ mediaType: 'audio_clip', project: projectId }, big)
    expect(tooBig.status).toBe(400)
    expect(tooBig.body.errors[0].data.errors[0]).toMatchObject({ path: 'file', message: expect.stringMatching(/upload limit/) })
    expect(bucketKeys()).toEqual([])
    // A request more than 1 MiB over the limit is cut off by the multipart parser: 413, as JSON.
    const huge = await uploadMedia({ mediaType: 'audio_clip', project: projectId }, wavFile({ seconds: 160 }))
    expect(huge.status).toBe(413)
    expect(huge.body.errors).toHaveLength(1) // Payload's own 413 answer (its message is generic)
    expect(bucketKeys()).toEqual([])

    const small = await uploadMedia({ mediaType: 'audio_clip', project: projectId }, wavFile({ seconds: 1 }))
    expect(small.status).toBe(201)
    expect(small.body.doc.url).toBe(`${app.url}/api/media/file/${small.body.doc.filename}`)
    expect(small.body.doc.thumbnailURL ?? null).toBeNull()
    expect(bucketKeys()).toEqual([small.body.doc.filename])
    await requestJson(`${app.url}/api/media/${small.body.doc.id}`, { method: 'DELETE', token })
    expect(bucketKeys()).toEqual([])
  })
})

describe('domain rules over REST', () => {
  it('answers a cross-project scene with 400 naming the field, an illegal status jump with 409 (REST and GraphQL), and ignores derived figures sent', async () => {
    const other = await requestJson(`${app.url}/api/projects`, { method: 'POST', token, body: { title: 'Other', episodeCount: 2 } })
    const episode = await requestJson(`${app.url}/api/episodes`, { method: 'POST', token, body: { project: projectId, title: 'Pilot' } })
    expect(episode.status).toBe(201)
    expect(episode.body.doc.episodeNumber).toBe(1)

    const crossed = await requestJson(`${app.url}/api/scenes`, {
      method: 'POST',
      token,
      body: { project: other.body.doc.id, episode: episode.body.doc.id },
    })
    expect(crossed.status).toBe(400)
    expect(crossed.body.errors[0].data.errors.map((e: { path: string }) => e.path)).toEqual(['episode'])

    const scene = await requestJson(`${app.url}/api/scenes`, { method: 'POST', token, body: { episode: episode.body.doc.id } })
    expect(scene.status).toBe(201)
    expect(scene.body.doc.sceneNumber).toBe(1)
    const jump = await requestJson(`${app.url}/api/scenes/${scene.body.doc.id}`, {
      method: 'PATCH',
      token,
      body: { production: { status: 'approved' } },
    })
    expect(jump.status).toBe(409)
    expect(jump.body.errors[0].message).toMatch(/pending → approved/)

    const graphql = await requestJson(`${app.url}/api/graphql`, {
      method: 'POST',
      token,
      body: {
        query: `mutation { updateScene(id: "${scene.body.doc.id}", data: { production: { status: approved } }) { id } }`,
      },
    })
    expect(graphql.status).toBeLessThan(500)
    expect(graphql.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/pending → approved/),
      extensions: expect.objectContaining({ statusCode: 409 }),
    })

    // Derived figures sent by a caller are ignored.
    const tampered = await requestJson(`${app.url}/api/episodes/${episode.body.doc.id}`, {
      method: 'PATCH',
      token,
      body: { production: { sceneCount: 50, renderProgress: 100 }, script: { content: 'One two three.', wordCount: 99 } },
    })
    expect(tampered.status).toBe(200)
    expect(tampered.body.doc.script.wordCount).toBe(3)

    const busy = await requestJson(`${app.url}/api/episodes/${episode.body.doc.id}`, { method: 'DELETE', token })
    expect(busy.status).toBe(409)
    const figures = await requestJson(`${app.url}/api/episodes/${episode.body.doc.id}?depth=0`, { token })
    expect(figures.body.production).toMatchObject({ sceneCount: 1, completedScenes: 0, renderProgress: 0 })
  })
})
