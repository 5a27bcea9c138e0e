import type { Payload } from 'payload'

import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { uploadedNameOf } from '../../../src/domain/storedMediaNames'
import { type RunningApp, startApp } from '../../helpers/app'
import { pngFile } from '../../helpers/files'
import { requestJson } from '../../helpers/http'
import { loose } from '../../helpers/loose'
import { canvasBombGif, hugeDimensionPng, hugeDimensionWebp } from '../../helpers/mediaFiles'
import { payloadAt } from '../../helpers/payloadAt'

// Logins hash a password (600,000 PBKDF2 rounds) and image uploads run sharp: slow on a busy machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 600_000 })

/**
 * Issue 19 items 1, 6 and 13 over HTTP against `next start`, as two tenants (non-admin producers) on two apps over
 * one database: one storing on local disk, one in an S3-compatible bucket (s3rver). The attacker uploads files
 * named after the victim's originals and image sizes in every format, replaces and deletes them: the victim's
 * objects stay byte-identical and served. Decompression bombs and huge headers are refused with 400, the
 * uploader's megapixel budget with 429, and a JSON `{ filename, url }` create with 400.
 */
const PASSWORD = 'Passw0rd!secret'
const bucket = 'tenant-files'
const IMAGE_BUDGET = 40 // megapixels per user per minute (RATE_LIMITS below)
const localDir = path.resolve(process.cwd(), 'media')

let s3: S3rver
let s3Dir: string
let payload: Payload
const apps: Record<'local' | 's3', RunningApp | undefined> = { local: undefined, s3: undefined }
const tokens: Record<'victim' | 'attacker' | 'greedy', string> = { victim: '', attacker: '', greedy: '' }
const projects: Record<'victim' | 'attacker' | 'greedy', string> = { victim: '', attacker: '', greedy: '' }

type UploadFile = { data: Buffer; mimetype: string; name: string }
type Backend = 'local' | 's3'

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

const stored = (backend: Backend, name: string) => (backend === 'local' ? existsSync(path.join(localDir, name)) : bucketKeys().includes(name))

async function send(backend: Backend, who: keyof typeof tokens, method: 'POST' | 'PATCH', pathname: string, data: Record<string, unknown>, file?: UploadFile) {
  const form = new FormData()
  form.append('_payload', JSON.stringify(data))
  if (file) form.append('file', new Blob([new Uint8Array(file.data)], { type: file.mimetype }), file.name)
  const response = await fetch(`${apps[backend]!.url}${pathname}`, { method, headers: { authorization: `JWT ${tokens[who]}` }, body: form })
  return { status: response.status, body: await response.json(), headers: response.headers }
}
const upload = (backend: Backend, who: keyof typeof tokens, file: UploadFile, mediaType = 'concept_art') =>
  send(backend, who, 'POST', '/api/media', { mediaType, project: projects[who] }, file)

type Doc = { id: string; filename: string; url: string; sizes?: Record<string, { filename?: string | null; url?: string | null }> }
const objectsOf = (doc: Doc) =>
  [{ name: doc.filename, url: doc.url }, ...Object.values(doc.sizes ?? {}).filter((size) => size?.filename).map((size) => ({ name: size.filename!, url: size.url! }))]

async function served(backend: Backend, who: keyof typeof tokens, name: string) {
  const response = await fetch(`${apps[backend]!.url}/api/media/file/${encodeURIComponent(name)}`, { headers: { authorization: `JWT ${tokens[who]}` } })
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) }
}

/** One picture in every format sharp writes, named as the attacker chooses. */
async function picture(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif', name: string, width = 800, height = 600): Promise<UploadFile> {
  const data = await sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 200 } } })
    .toFormat(format)
    .toBuffer()
  return { data, mimetype: `image/${format}`, name }
}

beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(os.tmpdir(), 's3rver-tenants-'))
  s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true, configureBuckets: [{ name: bucket }] })
  const { port } = (await s3.run()) as { port: number }
  const rateLimits = JSON.stringify({ imageProcessing: { user: { points: IMAGE_BUDGET } } })
  apps.local = await startApp('tenant-files-local', { RATE_LIMITS: rateLimits })
  apps.s3 = await startApp(
    'tenant-files-s3',
    {
      RATE_LIMITS: rateLimits,
      S3_BUCKET: bucket,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'auto',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    { databaseUrl: apps.local.databaseUrl },
  )
  payload = await payloadAt(apps.local.databaseUrl)
  for (const who of ['victim', 'attacker', 'greedy'] as const) {
    const email = `${who}-${Date.now()}@example.test`
    const user = await loose(payload).create({ collection: 'users', data: { email, password: PASSWORD, role: 'producer', name: who } })
    projects[who] = String((await loose(payload).create({ collection: 'projects', data: { title: `${who} film`, episodeCount: 3, createdBy: user.id } })).id)
    tokens[who] = (await requestJson(`${apps.local.url}/api/users/login`, { method: 'POST', body: { email, password: PASSWORD } })).body.token
    expect(tokens[who]).toEqual(expect.any(String))
  }
})

afterAll(async () => {
  if (payload) {
    const media = await payload.find({ collection: 'media', pagination: false, depth: 0 })
    for (const doc of media.docs as unknown as Doc[]) for (const { name } of objectsOf(doc)) rmSync(path.join(localDir, name), { force: true })
    await payload.db.connection.dropDatabase()
    await payload.destroy()
  }
  await apps.local?.stop()
  await apps.s3?.stop()
  await s3?.close().catch(() => undefined)
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true })
})

describe.each(['local', 's3'] as const)('stored files on %s', (backend) => {
  it("another tenant's uploads, replacements and deletes never write or remove the victim's objects, nor tell their names", async () => {
    const victimUploads = [await picture('png', 'keyart.png'), await picture('png', 'frame-400x300.png', 400, 300), await picture('jpeg', 'still.jpg')]
    const victimDocs: Doc[] = []
    for (const file of victimUploads) {
      const created = await upload(backend, 'victim', file)
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(uploadedNameOf(created.body.doc.filename)).toBe(file.name)
      victimDocs.push(created.body.doc)
    }
    const victimObjects = victimDocs.flatMap(objectsOf)
    expect(victimObjects.length).toBeGreaterThanOrEqual(5) // originals and thumbnails
    const before = new Map<string, Buffer>()
    for (const { name } of victimObjects) {
      const file = await served(backend, 'victim', name)
      expect(file.status, name).toBe(200)
      before.set(name, file.bytes)
    }

    // Names of the victim's originals and sizes, with every extension and format sharp reads, and the stored names themselves.
    const formats = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const
    const attacks: UploadFile[] = []
    for (const format of formats) {
      attacks.push(await picture(format, `keyart.${format === 'jpeg' ? 'jpg' : format}`))
      attacks.push(await picture(format, 'keyart'))
      attacks.push(await picture(format, 'frame.png'))
      attacks.push(await picture(format, 'still.jpg'))
    }
    for (const { name } of victimObjects) attacks.push(await picture('png', name, 400, 300))
    const attackerDocs: Doc[] = []
    for (const file of attacks) {
      const created = await upload(backend, 'attacker', file)
      expect(created.status, `${file.name}: ${JSON.stringify(created.body)}`).toBe(201)
      const doc: Doc = created.body.doc
      for (const { name } of objectsOf(doc)) expect(before.has(name), `${file.name} stored as ${name}`).toBe(false)
      // The name comes back as uploaded: nothing says whether anyone else holds it (no `keyart-1.png`).
      const stem = (name: string) => name.replace(/\.[^.]*$/, '')
      expect(stem(uploadedNameOf(doc.filename))).toBe(stem(file.name))
      attackerDocs.push(doc)
    }
    // Replacing a file with one named like the victim's: new objects of the attacker's own.
    const replaced = await send(backend, 'attacker', 'PATCH', `/api/media/${attackerDocs[0].id}`, {}, await picture('png', victimDocs[0].filename))
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200)
    for (const { name } of objectsOf(replaced.body.doc)) expect(before.has(name)).toBe(false)
    attackerDocs[0] = replaced.body.doc

    for (const [name, bytes] of before) {
      const file = await served(backend, 'victim', name)
      expect(file.status, name).toBe(200)
      expect(file.bytes.equals(bytes), name).toBe(true)
    }

    for (const doc of attackerDocs) {
      const deleted = await requestJson(`${apps[backend]!.url}/api/media/${doc.id}`, { method: 'DELETE', token: tokens.attacker })
      expect(deleted.status).toBe(200)
      for (const { name } of objectsOf(doc)) expect(stored(backend, name), name).toBe(false)
    }
    for (const [name, bytes] of before) {
      expect(stored(backend, name), name).toBe(true)
      const file = await served(backend, 'victim', name)
      expect(file.status, name).toBe(200)
      expect(file.bytes.equals(bytes), name).toBe(true)
    }
    // The attacker cannot read, replace or delete the victim's media either.
    expect((await served(backend, 'attacker', victimDocs[0].filename)).status).toBeGreaterThanOrEqual(400)
    const foreignDelete = await requestJson(`${apps[backend]!.url}/api/media/${victimDocs[0].id}`, { method: 'DELETE', token: tokens.attacker })
    expect([403, 404]).toContain(foreignDelete.status)
    const foreignReplace = await send(backend, 'attacker', 'PATCH', `/api/media/${victimDocs[0].id}`, {}, await picture('png', 'x.png'))
    expect([403, 404]).toContain(foreignReplace.status)
    expect((await served(backend, 'victim', victimDocs[0].filename)).bytes.equals(before.get(victimDocs[0].filename)!)).toBe(true)
  })

  it('refuses a decompression-bomb GIF and huge PNG and WebP headers with 400 on `file`, storing nothing', async () => {
    const count = async () => (await payload.count({ collection: 'media', where: { project: { equals: projects.attacker } } })).totalDocs
    const before = await count()
    for (const file of [canvasBombGif(), hugeDimensionPng({ width: 12_000, height: 12_000 }), hugeDimensionWebp()]) {
      const started = Date.now()
      const refused = await upload(backend, 'attacker', file)
      console.info(`${backend}: ${file.name} (${file.data.length} bytes) answered ${refused.status} in ${Date.now() - started} ms`)
      expect(refused.status, JSON.stringify(refused.body)).toBe(400)
      expect(refused.body.errors[0].data.errors[0]).toMatchObject({ path: 'file', message: expect.stringMatching(/at most/) })
    }
    expect(await count()).toBe(before)
  })

  it('answers a JSON `{ filename, url }` create with 400 (REST and GraphQL), a missing file and a wrong file type with 400', async () => {
    const url = apps[backend]!.url
    const json = await requestJson(`${url}/api/media`, {
      method: 'POST',
      token: tokens.attacker,
      body: { mediaType: 'concept_art', project: projects.attacker, filename: 'x.png', url: 'https://example.com/x.png' },
    })
    expect(json.status, JSON.stringify(json.body)).toBe(400)
    expect(json.body.errors[0].data.errors[0]).toMatchObject({ path: 'file', message: expect.stringMatching(/not fetched from a URL/) })
    const own = await requestJson(`${url}/api/media`, {
      method: 'POST',
      token: tokens.attacker,
      body: { mediaType: 'concept_art', project: projects.attacker, filename: 'x.png', url: `${url}/api/media/file/anything.png` },
    })
    expect(own.status).toBe(400)

    const graphql = await requestJson(`${url}/api/graphql`, {
      method: 'POST',
      token: tokens.attacker,
      body: { query: `mutation { createMedia(data: { mediaType: concept_art, project: "${projects.attacker}", filename: "x.png", url: "https://example.com/x.png" }) { id } }` },
    })
    expect(graphql.status, JSON.stringify(graphql.body)).toBeLessThan(500)
    expect(graphql.body.errors[0].extensions.statusCode).toBe(400)

    const missing = await requestJson(`${url}/api/media`, { method: 'POST', token: tokens.attacker, body: { mediaType: 'concept_art', project: projects.attacker } })
    expect(missing.status).toBe(400)
    const text = await upload(backend, 'attacker', { data: Buffer.from('plain words'), mimetype: 'text/plain', name: 'notes.txt' })
    expect(text.status, JSON.stringify(text.body)).toBe(400)
  })
})

describe('the megapixel budget per user', () => {
  it('answers 429 with Retry-After once a user has decoded their budget, other users unaffected', async () => {
    const big = await pngFile(5000, 5000, 'big.png') // 25 MP
    const first = await upload('local', 'greedy', big)
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const second = await upload('local', 'greedy', big)
    expect(second.status, JSON.stringify(second.body)).toBe(429)
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(second.body.error).toMatchObject({ code: 'RATE_LIMITED' })
    const other = await upload('local', 'victim', await pngFile(64, 48, 'small.png'))
    expect(other.status).toBe(201)
  })
})
