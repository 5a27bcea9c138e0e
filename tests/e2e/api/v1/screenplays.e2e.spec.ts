import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { requestJson } from '../../../helpers/http'
import { screenplayFixture } from '../../../helpers/screenplays'
import { createDoc, createProjectIn, people, type Person, testRateLimits } from './session'

/**
 * Screenplays and shot lists over real HTTP as a non-admin producer (issue 24): import (multipart and JSON, dry run,
 * append, replace), export, shot-list CSV out and back in; a stranger's 404; bad input's 400 with the line.
 */
let app: RunningApp
let producer: Person, stranger: Person
let project: { id: string }
const v1 = (path: string) => `${app.url}/api/v1${path}`
const fountain = screenplayFixture('the-last-ferry.fountain')
const fdx = screenplayFixture('the-last-ferry.fdx')

beforeAll(async () => {
  app = await startApp('screenplays', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  producer = await users.person('producer')
  stranger = await users.person('stranger')
  const promoted = await requestJson(`${app.url}/api/users/${producer.id}`, { method: 'PATCH', token: users.admin.token, body: { role: 'producer' } })
  expect(promoted.status, JSON.stringify(promoted.body)).toBe(200)
  project = await createProjectIn(app, producer, 'pre-production', { title: 'The Last Ferry', genre: 'drama', episodeCount: 20 })
})
afterAll(async () => app?.stop())

let episodeNumber = 0
const newEpisode = () => createDoc(app, producer, 'episodes', { project: project.id, episodeNumber: ++episodeNumber, title: `Crossing ${episodeNumber}` })

/** A multipart upload as a browser sends it. */
async function upload(path: string, person: Person, file: { name: string; body: string | Uint8Array }, fields: Record<string, string> = {}) {
  const form = new FormData()
  form.set('file', new Blob([typeof file.body === 'string' ? file.body : new Uint8Array(file.body)]), file.name)
  for (const [key, value] of Object.entries(fields)) form.set(key, value)
  const response = await fetch(v1(path), { method: 'POST', headers: { authorization: `JWT ${person.token}` }, body: form })
  return { status: response.status, body: await response.json() }
}
const download = async (path: string, person: Person) => {
  const response = await fetch(v1(path), { headers: { authorization: `JWT ${person.token}` } })
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) }
}
const scenesOf = async (episodeId: string) =>
  (await requestJson(v1(`/episodes/${episodeId}/scenes?limit=100`), { token: producer.token })).body.docs as {
    id: string
    sceneNumber: number
    title: string
    location: string
    timeOfDay: string
    mood: string | null
    script?: { duration?: number }
  }[]

describe('POST /api/v1/episodes/{id}/import', () => {
  it('multipart dry run answers the preview and writes nothing; the import then creates scenes and characters', async () => {
    const episode = await newEpisode()
    const preview = await upload(`/episodes/${episode.id}/import`, producer, { name: 'the-last-ferry.fountain', body: fountain }, { dryRun: 'true' })
    expect(preview.status, JSON.stringify(preview.body)).toBe(200)
    expect(preview.body).toMatchObject({ dryRun: true, mode: 'append', format: 'fountain', newCharacters: ['Rosa', 'Teo', 'Marguerite', 'Eli'] })
    expect(preview.body.scenes).toHaveLength(5)
    expect(await scenesOf(episode.id)).toEqual([])

    const done = await upload(`/episodes/${episode.id}/import`, producer, { name: 'the-last-ferry.fountain', body: fountain })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body.scenes.map((scene: { sceneNumber: number }) => scene.sceneNumber)).toEqual([1, 2, 3, 4, 5])
    const scenes = await scenesOf(episode.id)
    expect(scenes.map((scene) => [scene.location, scene.timeOfDay])).toEqual([
      ['EXT. HARBOUR PIER', 'dawn'],
      ['INT. FERRY WHEELHOUSE', 'day'],
      ['EXT. FERRY DECK', 'dusk'],
      ['INT. CABIN BELOW DECK', 'night'],
      ['EXT. OPEN WATER', 'night'],
    ])
    const characters = await requestJson(`${app.url}/api/characters?where[project][equals]=${project.id}&limit=100`, { token: producer.token })
    expect(characters.body.docs.map((character: { name: string }) => character.name).sort()).toEqual(['Eli', 'Marguerite', 'Rosa', 'Teo'])

    // The same file again: 409, nothing duplicated; the Final Draft of the same screenplay too.
    const again = await upload(`/episodes/${episode.id}/import`, producer, { name: 'the-last-ferry.fountain', body: fountain })
    expect(again.status).toBe(409)
    const asFdx = await requestJson(v1(`/episodes/${episode.id}/import`), { method: 'POST', token: producer.token, body: { format: 'fdx', text: fdx } })
    expect(asFdx.status).toBe(409)
    expect(await scenesOf(episode.id)).toHaveLength(5)
  })

  it('export → import round trip over HTTP (Fountain and Final Draft) gives the same scenes and no new characters', async () => {
    const source = await newEpisode()
    expect((await requestJson(v1(`/episodes/${source.id}/import`), { method: 'POST', token: producer.token, body: { format: 'fdx', text: fdx } })).status).toBe(200)
    for (const format of ['fountain', 'fdx']) {
      const exported = await download(`/episodes/${source.id}/script?format=${format}`, producer)
      expect(exported.status).toBe(200)
      expect(exported.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="episode-\\d+-crossing-\\d+\\.${format}"`))
      const target = await newEpisode()
      const imported = await upload(`/episodes/${target.id}/import`, producer, { name: `script.${format}`, body: exported.bytes })
      expect(imported.status, JSON.stringify(imported.body)).toBe(200)
      expect(imported.body.newCharacters).toEqual([])
      const strip = (list: Awaited<ReturnType<typeof scenesOf>>) => list.map(({ id: _id, ...scene }) => ({ ...scene, episode: undefined, updatedAt: undefined }))
      expect(strip(await scenesOf(target.id))).toEqual(strip(await scenesOf(source.id)))
    }
  })

  it('replace takes the place of the episode\'s scenes, numbered 1..n', async () => {
    const episode = await newEpisode()
    await createDoc(app, producer, 'scenes', { episode: episode.id, title: 'Placeholder' })
    const replaced = await requestJson(v1(`/episodes/${episode.id}/import`), { method: 'POST', token: producer.token, body: { format: 'fountain', text: fountain, mode: 'replace' } })
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200)
    expect(replaced.body.removedScenes).toHaveLength(1)
    expect((await scenesOf(episode.id)).map((scene) => [scene.sceneNumber, scene.title])).toEqual([
      [1, 'EXT. HARBOUR PIER - DAWN'],
      [2, 'INT. FERRY WHEELHOUSE - DAY'],
      [3, 'EXT. FERRY DECK - DUSK'],
      [4, 'INT. CABIN BELOW DECK - NIGHT'],
      [5, 'EXT. OPEN WATER - NIGHT - CONTINUOUS'],
    ])
  })

  it('bad input: 400 with the line and what was expected; 413 over the size limit; nothing written', async () => {
    const episode = await newEpisode()
    const noCue = await requestJson(v1(`/episodes/${episode.id}/import`), {
      method: 'POST',
      token: producer.token,
      body: { format: 'fdx', text: fdx.replace('<Paragraph Type="Character">\n      <Text>ROSA</Text>\n    </Paragraph>\n    <Paragraph Type="Parenthetical">', '<Paragraph Type="Parenthetical">') },
    })
    expect(noCue.status).toBe(400)
    expect(noCue.body.error).toMatchObject({ code: 'INVALID_TEXT', details: { line: 16, expected: 'a character cue before this parenthetical' } })
    const notFdx = await upload(`/episodes/${episode.id}/import`, producer, { name: 'page.fdx', body: '<?xml version="1.0"?>\n<html/>' })
    expect(notFdx.status).toBe(400)
    expect(notFdx.body.error.message).toMatch(/Line 1: a Final Draft document/)
    const latin1 = await upload(`/episodes/${episode.id}/import`, producer, { name: 'cafe.fountain', body: Buffer.from('INT. ROOM - DAY\n\nCAF\u00c9\n', 'latin1') })
    expect(latin1.status).toBe(400)
    expect(latin1.body.error.details).toMatchObject({ line: 3 })
    const tooLarge = await upload(`/episodes/${episode.id}/import`, producer, { name: 'big.fountain', body: `INT. ROOM - DAY\n\n${'word '.repeat(220_000)}` })
    expect(tooLarge.status).toBe(413)
    const unknownFormat = await requestJson(v1(`/episodes/${episode.id}/import`), { method: 'POST', token: producer.token, body: { format: 'pdf', text: fountain } })
    expect(unknownFormat.status).toBe(400)
    expect(unknownFormat.body.error.details.issues[0].path).toBe('format')
    expect(await scenesOf(episode.id)).toEqual([])
  })

  it('a stranger gets 404 on every route, and nothing is written', async () => {
    const episode = await newEpisode()
    expect((await upload(`/episodes/${episode.id}/import`, stranger, { name: 'a.fountain', body: fountain })).status).toBe(404)
    expect((await download(`/episodes/${episode.id}/script`, stranger)).status).toBe(404)
    expect((await download(`/episodes/${episode.id}/scenes.csv`, stranger)).status).toBe(404)
    expect((await download(`/projects/${project.id}/scenes.csv`, stranger)).status).toBe(404)
    expect((await upload(`/episodes/${episode.id}/scenes.csv`, stranger, { name: 'a.csv', body: 'title\r\nX\r\n' })).status).toBe(404)
    expect(await scenesOf(episode.id)).toEqual([])
  })
})

describe('shot lists', () => {
  it('CSV export (streamed, BOM on request) → edit 3 cells → import changes exactly those', async () => {
    const episode = await newEpisode()
    await requestJson(v1(`/episodes/${episode.id}/import`), { method: 'POST', token: producer.token, body: { format: 'fountain', text: fountain } })
    const before = await scenesOf(episode.id)
    const csv = await download(`/episodes/${episode.id}/scenes.csv?bom=1`, producer)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/)
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(csv.bytes, { bom: true }) as string[][]
    const at = (name: string) => rows[0].indexOf(name)
    rows[1][at('title')] = 'Pier, at first light'
    rows[3][at('mood')] = 'warm'
    rows[5][at('timeOfDay')] = 'dawn'
    rows[0].push('Notes')
    const edited = rows.map((row) => row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n')
    const report = await upload(`/episodes/${episode.id}/scenes.csv`, producer, { name: 'shots.csv', body: edited })
    expect(report.status, JSON.stringify(report.body)).toBe(200)
    expect(report.body).toMatchObject({ updated: 3, unchanged: 2, created: 0, failed: 0 })
    expect(report.body.notices[0]).toBe('Unknown columns ignored: Notes')
    const after = await scenesOf(episode.id)
    const expected = before.map((scene) => ({ ...scene, updatedAt: undefined }))
    expected[0].title = 'Pier, at first light'
    expected[2].mood = 'warm'
    expected[4].timeOfDay = 'dawn'
    expect(after.map((scene) => ({ ...scene, updatedAt: undefined }))).toEqual(expected)

    const project_ = await download(`/projects/${project.id}/scenes.csv`, producer)
    expect(project_.status).toBe(200)
    expect(project_.bytes.subarray(0, 2).toString()).toBe('id')
  })

  it('a bad row answers its row number and column', async () => {
    const episode = await newEpisode()
    const bad = await upload(`/episodes/${episode.id}/scenes.csv`, producer, { name: 'shots.csv', body: 'title,duration\r\nOne,5\r\nTwo,soon\r\n' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details).toMatchObject({ line: 3, issues: [{ path: 'rows.3.duration' }] })
    expect(await scenesOf(episode.id)).toEqual([])
  })
})
