import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectFieldErrors } from '../../helpers/errors'
import { pngFile } from '../../helpers/files'
import { webmFile } from '../../helpers/mediaFiles'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
// Two projects, each with an episode, a character and an image.
type Production = { project: string; episode: string; character: string; image: string; video: string }
let a: Production
let b: Production

async function productionIn(userId: string) {
  const project = await f.project(userId)
  const episode = await f.episode(project.id, 1)
  const character = await f.character(project.id)
  const image = await payload.create({
    collection: 'media',
    data: { mediaType: 'concept_art', project: project.id } as never,
    file: await pngFile(),
  })
  const video = await payload.create({
    collection: 'media',
    data: { mediaType: 'video_segment', project: project.id } as never,
    file: webmFile(),
  })
  return { project: project.id, episode: episode.id, character: character.id, image: image.id, video: video.id }
}

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('consistency'))
  f = fixtures(payload)
  const user = await f.user()
  a = await productionIn(user.id)
  b = await productionIn(user.id)
})
afterAll(async () => {
  // Deleting through Payload removes the uploaded files from ./media as well.
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

const sceneCount = async () => (await payload.count({ collection: 'scenes' })).totalDocs

describe('scenes stay in their project', () => {
  it('takes the project of its episode when none is given, and refuses another one', async () => {
    const scene = await payload.create({ collection: 'scenes', data: { episode: a.episode, sceneNumber: 1 } as never, depth: 0 })
    expect(scene.project).toBe(a.project)
    const before = await sceneCount()
    const error = await expectFieldErrors(
      payload.create({ collection: 'scenes', data: { project: b.project, episode: a.episode, sceneNumber: 2 } as never }),
      ['episode'],
    )
    expect(error.data?.errors?.[0].message).toMatch(/project/)
    expect(await sceneCount()).toBe(before)
    await payload.delete({ collection: 'scenes', id: scene.id })
  })

  it('refuses references to documents that do not exist', async () => {
    const before = await sceneCount()
    const missing = '64b7f0f0f0f0f0f0f0f0f0f0'
    const error = await expectFieldErrors(
      payload.create({
        collection: 'scenes',
        data: { project: a.project, episode: missing, sceneNumber: 9, characters: [a.character, missing] } as never,
      }),
      ['episode', 'characters'],
    )
    expect(error.data?.errors?.map((e) => e.message).join(' ')).toMatch(/does not exist/)
    expect(await sceneCount()).toBe(before)
  })

  it('refuses cast, dialogue characters, storyboard images and production media of another project, naming each field', async () => {
    const before = await sceneCount()
    await expectFieldErrors(
      payload.create({
        collection: 'scenes',
        data: {
          project: a.project,
          episode: a.episode,
          sceneNumber: 3,
          characters: [a.character, b.character],
          script: { dialogue: [{ character: a.character, lines: 'Hi' }, { character: b.character, lines: 'Who?' }] },
          storyboard: { panels: [{ panelNumber: 1, image: b.image }] },
          production: { status: 'pending', videoSegment: b.video },
        },
      }),
      ['characters', 'script.dialogue.1.character', 'storyboard.panels.0.image', 'production.videoSegment'],
    )
    expect(await sceneCount()).toBe(before)
  })

  it('accepts the same references from its own project, and refuses an update that brings in another project', async () => {
    const scene = await payload.create({
      collection: 'scenes',
      data: {
        project: a.project,
        episode: a.episode,
        sceneNumber: 4,
        characters: [a.character],
        script: { dialogue: [{ character: a.character, lines: 'Hi' }] },
        storyboard: { panels: [{ panelNumber: 1, image: a.image }] },
        production: { status: 'pending', videoSegment: a.video },
      },
    })
    await expectFieldErrors(
      payload.update({ collection: 'scenes', id: scene.id, data: { episode: b.episode } }),
      ['episode'],
    )
    await expectFieldErrors(
      payload.update({ collection: 'scenes', id: scene.id, data: { characters: [b.character] } }),
      ['characters'],
    )
    const stored = await payload.findByID({ collection: 'scenes', id: scene.id, depth: 0 })
    expect(stored.episode).toBe(a.episode)
    expect(stored.characters).toEqual([a.character])
    await payload.delete({ collection: 'scenes', id: scene.id })
  })
})

describe('characters stay in their project', () => {
  it('refuses a relationship to a character of another project and a move to another project', async () => {
    const friend = await f.character(a.project)
    const character = await f.character(a.project, {
      profile: { relationships: [{ characterId: friend.id, relationshipType: 'friend' }] },
    })
    await expectFieldErrors(
      payload.update({
        collection: 'characters',
        id: character.id,
        data: { profile: { relationships: [{ characterId: friend.id }, { characterId: b.character, relationshipType: 'rival' }] } },
      }),
      ['profile.relationships.1.characterId'],
    )
    // Moving it would also strand its relationship in the old project.
    await expectFieldErrors(payload.update({ collection: 'characters', id: character.id, data: { project: b.project } }), [
      'project',
      'profile.relationships.0.characterId',
    ])
    await expectFieldErrors(
      payload.update({ collection: 'characters', id: character.id, data: { visualDesign: { referenceImages: [a.image, b.image] } } }),
      ['visualDesign.referenceImages'],
    )
    const stored = await payload.findByID({ collection: 'characters', id: character.id, depth: 0 })
    expect(stored.profile?.relationships?.map((r) => r.characterId)).toEqual([friend.id])
    expect(stored.project).toBe(a.project)
    await payload.delete({ collection: 'characters', id: character.id })
    await payload.delete({ collection: 'characters', id: friend.id })
  })
})

describe('episodes stay in their project', () => {
  it('cannot move to another project nor use media of another project', async () => {
    await expectFieldErrors(payload.update({ collection: 'episodes', id: a.episode, data: { project: b.project } }), ['project'])
    await expectFieldErrors(
      payload.update({ collection: 'episodes', id: a.episode, data: { metadata: { thumbnail: b.image } } }),
      ['metadata.thumbnail'],
    )
    const updated = await payload.update({ collection: 'episodes', id: a.episode, data: { metadata: { thumbnail: a.image } } })
    expect(updated.metadata?.thumbnail).toMatchObject({ id: a.image })
  })
})

describe('media relations agree', () => {
  it('takes the project of its episode, and refuses an episode, scene or character of another project', async () => {
    const file = await pngFile()
    const medium = await payload.create({ collection: 'media', data: { mediaType: 'concept_art', episode: a.episode } as never, file })
    expect(medium.project).toMatchObject({ id: a.project })
    const before = (await payload.count({ collection: 'media' })).totalDocs
    await expectFieldErrors(
      payload.create({
        collection: 'media',
        data: { mediaType: 'concept_art', project: a.project, episode: b.episode, character: b.character } as never,
        file,
      }),
      ['episode', 'character'],
    )
    expect((await payload.count({ collection: 'media' })).totalDocs).toBe(before)

    const sceneB = await f.scene(b.project, b.episode, 1)
    const otherEpisodeA = await f.episode(a.project, 2)
    const sceneA = await f.scene(a.project, otherEpisodeA.id, 1)
    await expectFieldErrors(
      payload.update({ collection: 'media', id: medium.id, data: { scene: sceneB.id } }),
      ['scene'],
    )
    // A scene of the right project but of another episode than the medium's.
    const error = await expectFieldErrors(
      payload.update({ collection: 'media', id: medium.id, data: { scene: sceneA.id } }),
      ['scene'],
    )
    expect(error.data?.errors?.[0].message).toMatch(/episode/)
    await payload.delete({ collection: 'media', id: medium.id })
    await payload.delete({ collection: 'scenes', id: sceneA.id })
    await payload.delete({ collection: 'scenes', id: sceneB.id })
    await payload.delete({ collection: 'episodes', id: otherEpisodeA.id })
  })
})

describe('projects', () => {
  it('take style references from their own media only', async () => {
    const style = await payload.create({ collection: 'media', data: { mediaType: 'style_reference', project: b.project } as never, file: await pngFile() })
    await expectFieldErrors(
      payload.update({ collection: 'projects', id: a.project, data: { styleReferences: [style.id] } }),
      ['styleReferences'],
    )
    const ok = await payload.update({ collection: 'projects', id: b.project, data: { styleReferences: [style.id] } })
    expect(ok.styleReferences?.map((s) => (typeof s === 'string' ? s : s.id))).toEqual([style.id])
    await payload.update({ collection: 'projects', id: b.project, data: { styleReferences: [] } })
    await payload.delete({ collection: 'media', id: style.id })
  })
})
