import type { Payload } from 'payload'
import type { Media, User } from '../../../src/payload-types'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { isServerChosenName, storedFileName, uploadedNameOf } from '../../../src/domain/storedMediaNames'
import { assessImageDecoding } from '../../../src/domain/mediaRules'
import { toErrorBody } from '../../../src/errors'
import { expectConflict, expectFieldErrors, rejection } from '../../helpers/errors'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { canvasBombGif, hugeDimensionPng, hugeDimensionWebp } from '../../helpers/mediaFiles'
import { createTestPayload } from '../../helpers/payload'

/** Stored media names are each document's own (local disk), and image decoding is bounded from the header. */
let payload: Payload
let cleanup: () => Promise<void>
let victim: User
let attacker: User
let victimProject: string
let attackerProject: string
const mediaDir = path.resolve(process.cwd(), 'media')

beforeAll(async () => {
  delete process.env.S3_BUCKET
  ;({ payload, cleanup } = await createTestPayload('stored-names'))
  const f = fixtures(payload)
  victim = (await f.user()) as User
  attacker = (await f.user()) as User
  victimProject = (await f.project(victim.id)).id
  attackerProject = (await f.project(attacker.id)).id
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

type UploadFile = { data: Buffer; mimetype: string; name: string; size: number }
const upload = (user: User, project: string, file: UploadFile) =>
  payload.create({ collection: 'media', data: { mediaType: 'concept_art', project } as never, file, overrideAccess: false, user }) as Promise<Media>
const namesOf = (media: Media) => [media.filename!, ...Object.values(media.sizes ?? {}).map((size) => size?.filename)].filter(Boolean) as string[]
const bytesOf = (names: string[]) => names.map((name) => readFileSync(path.join(mediaDir, name)))

describe('stored names', () => {
  it('are `<24 hex>-<uploaded name>`, random, and give back the uploaded name', () => {
    const a = storedFileName('dir/../keyart.png')
    const b = storedFileName('keyart.png')
    expect(a).toMatch(/^[0-9a-f]{24}-keyart\.png$/)
    expect(a).not.toBe(b)
    expect(uploadedNameOf(a)).toBe('keyart.png')
    expect(isServerChosenName(a)).toBe(true)
    expect(isServerChosenName('keyart.png')).toBe(false)
    expect(storedFileName(`${'x'.repeat(500)}.png`).length).toBeLessThan(120)
  })

  it("never reach another tenant's original or sizes, nor reveal them, and a delete removes only the document's own files", async () => {
    const victimArt = await upload(victim, victimProject, await pngFile(800, 600, 'keyart.png'))
    const victimFrame = await upload(victim, victimProject, await pngFile(400, 300, 'frame-400x300.png'))
    const victimNames = [...namesOf(victimArt), ...namesOf(victimFrame)]
    const before = bytesOf(victimNames)
    expect(uploadedNameOf(victimArt.filename!)).toBe('keyart.png')

    const attacks = [
      await pngFile(800, 600, 'keyart.png'),
      await pngFile(800, 600, 'keyart.jpg'),
      await pngFile(800, 600, 'keyart.webp'),
      await pngFile(800, 600, 'keyart'),
      await pngFile(800, 600, 'frame.png'),
      { ...(await pngFile(800, 600, 'x')), name: victimArt.filename! },
      { ...(await pngFile(800, 600, 'x')), name: victimArt.sizes!.thumbnail!.filename! },
    ]
    const created: Media[] = []
    for (const file of attacks) {
      const media = await upload(attacker, attackerProject, file)
      created.push(media)
      for (const name of namesOf(media)) expect(victimNames).not.toContain(name)
      // The uploaded name comes back as sent (no `-1` telling that someone holds it).
      expect(uploadedNameOf(media.filename!)).toBe(file.name)
    }
    expect(bytesOf(victimNames)).toEqual(before)

    for (const media of created) await payload.delete({ collection: 'media', id: media.id, overrideAccess: false, user: attacker })
    for (const media of created) for (const name of namesOf(media)) expect(existsSync(path.join(mediaDir, name))).toBe(false)
    expect(bytesOf(victimNames)).toEqual(before)
  })

  it("replacing a file stores it under new names of the document's own and removes only its old ones", async () => {
    const victimArt = await upload(victim, victimProject, await pngFile(640, 480, 'poster.png'))
    const mine = await upload(attacker, attackerProject, await pngFile(640, 480, 'poster.png'))
    const victimBefore = bytesOf(namesOf(victimArt))
    const replaced = (await payload.update({
      collection: 'media',
      id: mine.id,
      data: {},
      file: { ...(await pngFile(800, 600, 'poster.png')) },
      overrideAccess: false,
      user: attacker,
    })) as Media
    expect(replaced.filename).not.toBe(mine.filename)
    expect(isServerChosenName(replaced.filename!)).toBe(true)
    for (const name of namesOf(mine)) expect(existsSync(path.join(mediaDir, name))).toBe(false)
    for (const name of namesOf(replaced)) expect(existsSync(path.join(mediaDir, name))).toBe(true)
    expect(bytesOf(namesOf(victimArt))).toEqual(victimBefore)
  })

  it("a duplicate (the admin's Duplicate) gets objects of its own; deleting it leaves the source's", async () => {
    const source = await upload(victim, victimProject, await pngFile(640, 480, 'twin.png'))
    const before = bytesOf(namesOf(source))
    const copy = (await payload.duplicate({ collection: 'media', id: source.id, overrideAccess: false, user: victim })) as Media
    for (const name of namesOf(copy)) expect(namesOf(source)).not.toContain(name)
    for (const name of namesOf(copy)) expect(existsSync(path.join(mediaDir, name))).toBe(true)
    await payload.delete({ collection: 'media', id: copy.id, overrideAccess: false, user: victim })
    expect(bytesOf(namesOf(source))).toEqual(before)
  })

  it('a file in a bulk update is refused (every medium would share its objects)', async () => {
    const file = await pngFile(64, 48, 'bulk.png')
    await expectFieldErrors(
      payload.update({ collection: 'media', where: { project: { equals: attackerProject } }, data: {}, file, overrideAccess: false, user: attacker }),
      ['file'],
    )
  })

  it('a medium stored before, sharing a name with another, is refused on delete and replace (409) and the shared file stays', async () => {
    // Two media of the old naming: one's thumbnail is the other's original.
    const frameName = 'legacy-frame-400x300.png'
    const thumb = await pngFile(400, 300, frameName)
    writeFileSync(path.join(mediaDir, frameName), thumb.data)
    const victimDoc = await payload.db.create({
      collection: 'media',
      data: { filename: frameName, mimeType: 'image/png', project: victimProject, mediaType: 'concept_art', status: 'active', createdBy: victim.id },
    })
    const attackerDoc = await payload.db.create({
      collection: 'media',
      data: {
        filename: 'legacy-frame.png',
        mimeType: 'image/png',
        project: attackerProject,
        mediaType: 'concept_art',
        status: 'active',
        createdBy: attacker.id,
        sizes: { thumbnail: { filename: frameName, width: 400, height: 300, mimeType: 'image/png' } },
      },
    })
    await expectConflict(payload.delete({ collection: 'media', id: attackerDoc.id, overrideAccess: false, user: attacker }))
    await expectConflict(
      payload.update({ collection: 'media', id: attackerDoc.id, data: {}, file: await pngFile(64, 48, 'new.png'), overrideAccess: false, user: attacker }),
    )
    expect(readFileSync(path.join(mediaDir, frameName)).equals(thumb.data)).toBe(true)
    expect((await payload.findByID({ collection: 'media', id: victimDoc.id })).filename).toBe(frameName)
  })
})

describe('image decoding bounds', () => {
  it('count every frame of a multi-frame format', () => {
    expect(assessImageDecoding({ format: 'gif', width: 2048, height: 2048, pages: 20 }).refusal).toMatch(/20 frames of 2048×2048/)
    expect(assessImageDecoding({ format: 'png', width: 1920, height: 1080 })).toEqual({ pixels: 1920 * 1080 })
    expect(assessImageDecoding({ format: 'gif', width: 100, height: 100, pages: 301 }).refusal).toMatch(/301 frames/)
    expect(assessImageDecoding({ format: 'png', width: 30_000, height: 30_000 }).refusal).toMatch(/at most 40 MP/)
  })

  it('refuse a decompression-bomb GIF and huge PNG and WebP headers with 400 on `file` from the header, storing nothing', async () => {
    const before = (await payload.count({ collection: 'media' })).totalDocs
    for (const file of [canvasBombGif(), hugeDimensionPng({ width: 12_000, height: 12_000 }), hugeDimensionWebp()]) {
      const error = await expectFieldErrors(upload(attacker, attackerProject, file), ['file'])
      expect(error.data?.errors?.[0].message).toMatch(/at most/)
    }
    expect((await payload.count({ collection: 'media' })).totalDocs).toBe(before)
  })

  it('accept a small animation', async () => {
    const media = await upload(attacker, attackerProject, canvasBombGif({ width: 64, height: 64, frames: 5, name: 'blink.gif' }))
    expect(media).toMatchObject({ mimeType: 'image/gif', width: 64, height: 64 })
  })
})

describe('a file from a URL', () => {
  it('is never fetched: the fetch stops before any request, naming the upload to use instead', async () => {
    const error = await rejection(
      payload.create({
        collection: 'media',
        data: { mediaType: 'concept_art', project: attackerProject, filename: 'x.png', url: 'https://example.com/x.png' } as never,
        overrideAccess: false,
        user: attacker,
      }),
    )
    expect(error.message).toMatch(/not fetched from a URL/)
    // HTTP answers it as 400 on `file`.
    expect(toErrorBody(error).error).toMatchObject({ status: 400, details: { issues: [{ path: 'file' }] } })
  })
})
