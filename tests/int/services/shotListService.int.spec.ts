import type { Payload } from 'payload'

import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { Scene, User } from '../../../src/payload-types'

import { NotFoundError, TextInputError } from '../../../src/errors'
import { screenplayService } from '../../../src/services/screenplayService'
import { shotListService } from '../../../src/services/shotListService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'
import { screenplayFixture } from '../../helpers/screenplays'

let payload: Payload
let cleanup: () => Promise<void>
let owner: User, stranger: User
let project: { id: string }, episode: { id: string }
const as = (user: User): Actor => ({ payload, user })
const mediaUrl = (id: string) => `http://test/api/media/${id}`

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('shot_list_service'))
  const make = fixtures(payload)
  await make.user()
  owner = (await make.user({ role: 'producer' })) as User
  stranger = (await make.user()) as User
  project = await make.project(owner.id, { title: 'The Last Ferry' })
  episode = await make.episode(project.id, 1, { title: 'Crossing' })
  await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: screenplayFixture('the-last-ferry.fountain') })
  const second = await make.episode(project.id, 2, { title: 'Return' })
  await payload.create({ collection: 'scenes', data: { episode: second.id, title: 'Quiet, "calm" harbour,\nnext day', mood: 'calm' } as never })
})
afterAll(async () => cleanup?.())

const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text()
const scenes = async () =>
  (await payload.find({ collection: 'scenes', where: { episode: { equals: episode.id } }, sort: 'sceneNumber', limit: 0 })).docs as Scene[]
const failure = async (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err)

describe('shot list export', () => {
  it('writes a header and one RFC 4180 row per scene; ?bom adds the byte-order mark', async () => {
    const file = await shotListService.exportEpisode({ actor: as(owner), episodeId: episode.id, mediaUrl })
    expect(file.filename).toBe('episode-1-crossing-shot-list.csv')
    const csv = await text(file.body)
    expect(csv.startsWith('id,episode,sceneNumber,title,location,timeOfDay,mood,duration,characters,productionStatus,attempts,panelCount,media\r\n')).toBe(true)
    const rows = parse(csv, { columns: true }) as Record<string, string>[]
    expect(rows.map((row) => [row.sceneNumber, row.location, row.timeOfDay])).toEqual([
      ['1', 'EXT. HARBOUR PIER', 'dawn'],
      ['2', 'INT. FERRY WHEELHOUSE', 'day'],
      ['3', 'EXT. FERRY DECK', 'dusk'],
      ['4', 'INT. CABIN BELOW DECK', 'night'],
      ['5', 'EXT. OPEN WATER', 'night'],
    ])
    expect(rows[1]).toMatchObject({ episode: '1', characters: 'Teo; Rosa', productionStatus: 'pending', attempts: '0', panelCount: '0' })
    // Bytes, not text: decoding as UTF-8 drops the mark.
    const withBom = Buffer.from(await new Response((await shotListService.exportEpisode({ actor: as(owner), episodeId: episode.id, mediaUrl, bom: '1' })).body).arrayBuffer())
    expect([...withBom.subarray(0, 5)]).toEqual([0xef, 0xbb, 0xbf, 0x69, 0x64])
    expect(csv.charCodeAt(0)).toBe(0x69)
  })

  it('the project list has every episode; quotes, commas and line breaks survive', async () => {
    const csv = await text((await shotListService.exportProject({ actor: as(owner), projectId: project.id, mediaUrl })).body)
    expect(csv).toContain('"Quiet, ""calm"" harbour,\nnext day"')
    const rows = parse(csv, { columns: true }) as Record<string, string>[]
    expect(rows.map((row) => row.episode)).toEqual(['1', '1', '1', '1', '1', '2'])
    expect(rows[5].title).toBe('Quiet, "calm" harbour,\nnext day')
  })

  it('404 for a stranger', async () => {
    expect(await failure(shotListService.exportEpisode({ actor: as(stranger), episodeId: episode.id, mediaUrl }))).toBeInstanceOf(NotFoundError)
    expect(await failure(shotListService.exportProject({ actor: as(stranger), projectId: project.id, mediaUrl }))).toBeInstanceOf(NotFoundError)
  })
})

describe('shot list import', () => {
  it('round trip: export → edit 3 cells → import changes exactly those', async () => {
    const before = await scenes()
    const csv = await text((await shotListService.exportEpisode({ actor: as(owner), episodeId: episode.id, mediaUrl })).body)
    const rows = parse(csv) as string[][]
    const [header] = rows
    const at = (name: string) => header.indexOf(name)
    rows[1][at('mood')] = 'tense, grey'
    rows[3][at('timeOfDay')] = 'NIGHT'
    rows[4][at('duration')] = '42.5'
    rows[2][at('productionStatus')] = 'approved' // read-only: not imported
    header.push('Director notes') // unknown: ignored with a notice
    for (const row of rows.slice(1)) row.push('whatever')
    const edited = rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n')

    const report = await shotListService.importShotList({ actor: as(owner), episodeId: episode.id, text: edited })
    expect(report).toMatchObject({ updated: 3, created: 0, unchanged: 2, failed: 0 })
    expect(report.rows.filter((row) => row.action === 'updated').map((row) => [row.row, row.changed])).toEqual([
      [2, ['mood']],
      [4, ['timeOfDay']],
      [5, ['duration']],
    ])
    expect(report.notices).toEqual(['Unknown columns ignored: Director notes', 'Read-only columns not imported: episode, sceneNumber, characters, productionStatus, attempts, panelCount, media'])
    const after = await scenes()
    const view = (list: Scene[]) => list.map((scene) => ({ id: scene.id, title: scene.title, location: scene.location, timeOfDay: scene.timeOfDay, mood: scene.mood, duration: scene.script?.duration ?? null, status: scene.production?.status, dialogue: scene.script?.dialogue?.length }))
    const expected = view(before)
    expected[0].mood = 'tense, grey'
    expected[2].timeOfDay = 'night'
    expected[3].duration = 42.5
    expect(view(after)).toEqual(expected)
  })

  it('creates rows without an id; refuses a bad cell with its row, line and column, writing nothing', async () => {
    const count = (await scenes()).length
    const bad = `title,timeOfDay,duration\r\nNew scene,day,10\r\n"Second, with a\nbreak",noon,5\r\n`
    const err = await failure(shotListService.importShotList({ actor: as(owner), episodeId: episode.id, text: bad }))
    expect(err).toBeInstanceOf(TextInputError)
    expect((err as TextInputError).line).toBe(3)
    expect((err as TextInputError).details?.issues[0].path).toBe('rows.3.timeOfDay')
    expect((await scenes()).length).toBe(count)

    const report = await shotListService.importShotList({ actor: as(owner), episodeId: episode.id, text: 'title,location,timeOfDay\r\nEpilogue,EXT. PIER,dusk\r\n' })
    expect(report).toMatchObject({ created: 1, rows: [{ row: 2, action: 'created', changed: ['title', 'location', 'timeOfDay'] }] })
    const created = (await scenes()).at(-1)!
    expect(created).toMatchObject({ sceneNumber: count + 1, title: 'Epilogue', location: 'EXT. PIER', timeOfDay: 'dusk' })
  })

  it('refuses an id of another episode (400, row and column) and a stranger (404)', async () => {
    const other = await payload.find({ collection: 'scenes', where: { episode: { not_equals: episode.id } }, limit: 1 })
    const err = await failure(shotListService.importShotList({ actor: as(owner), episodeId: episode.id, text: `id,title\r\n${other.docs[0].id},Stolen\r\n` }))
    expect((err as TextInputError).details?.issues[0].path).toBe('rows.2.id')
    expect(await failure(shotListService.importShotList({ actor: as(stranger), episodeId: episode.id, text: 'title\r\nX\r\n' }))).toBeInstanceOf(NotFoundError)
  })
})
