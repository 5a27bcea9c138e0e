import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { probeMedia } from '../../../../src/lib/mediaTools/mediaTools'
import { type RunningApp, startApp } from '../../../helpers/app'
import { TEST_SECRET } from '../../../helpers/database'
import { type JsonResponse, requestJson } from '../../../helpers/http'
import { invitationToken } from '../../../helpers/mail'
import { createDoc, people, type Person, testRateLimits } from './session'

/**
 * From script to screen over HTTP (issue 22): the built app and real `npm run worker` processes with
 * AI_PROVIDER=local — an episode of two scenes with dialogue is produced, reviewed (one scene rejected and
 * regenerated), approved and assembled into an MP4 measured with ffprobe; a worker killed during the episode cut
 * leaves it to another worker. A stranger gets 404, a collaborator may produce.
 */
const root = path.resolve(import.meta.dirname, '../../../..')
const LEASE_MS = 6_000
let app: RunningApp
let owner: Person, collaborator: Person, stranger: Person
let project: { id: string }, episode: { id: string }
let scenes: { id: string }[] = []
let scratch: string
const workers: ChildProcess[] = []
const workerOutput: string[] = []

const v1 = (p: string) => `${app.url}/api/v1${p}`
const post = (person: Person, p: string, body: unknown = {}) => requestJson(v1(p), { method: 'POST', token: person.token, body })
const get = (person: Person, url: string) => requestJson(url, { token: person.token })
const expectStatus = (response: JsonResponse, status: number) => expect(response.status, JSON.stringify(response.body)).toBe(status)
const env = () => ({
  AI_PROVIDER: 'local',
  LOCAL_SPEECH: 'tones',
  TASK_LEASE_MS: String(LEASE_MS),
  TASK_RETRY_POLICIES: JSON.stringify({ scene_assembly: { maxRetries: 2, baseDelayMs: 0 } }),
})

/** Kills a worker started here and its launcher's child (the whole process group it leads). */
const killWorker = (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch (err) {
    if ((err as { code?: string }).code !== 'ESRCH') throw err // already gone
  }
}

/** A real worker process, as `npm run worker` runs it, on the app's database. */
function startWorker(label: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'scripts/run-ts.mjs'), 'scripts/worker.ts', '--concurrency', '2'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: app.databaseUrl, PAYLOAD_SECRET: TEST_SECRET, ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the launcher runs the worker in a child process, and a kill must reach both.
    detached: true,
  })
  child.stdout?.on('data', (chunk) => workerOutput.push(`[${label}] ${chunk}`))
  child.stderr?.on('data', (chunk) => workerOutput.push(`[${label}] ${chunk}`))
  workers.push(child)
  return child
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 240_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\nWorker output:\n${workerOutput.join('').slice(-4000)}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

const scene = async (id: string) => (await get(owner, `${app.url}/api/scenes/${id}?depth=0`)).body
const episodeDoc = async () => (await get(owner, `${app.url}/api/episodes/${episode.id}?depth=0`)).body
const tasksOf = async () =>
  (await get(owner, `${app.url}/api/tasks?where[project][equals]=${project.id}&limit=200&depth=0`)).body.docs as {
    id: string
    status: string
    taskType: string
    lease?: { attempt?: number }
    input?: { parameters?: { kind?: string } }
  }[]
const allSettled = async () => {
  const tasks = await tasksOf()
  return tasks.length > 0 && tasks.every((task) => ['completed', 'failed', 'cancelled'].includes(task.status)) ? tasks : undefined
}

/** Downloads a media file as its owner and measures it with ffprobe. */
async function probeMediaFile(mediaId: string) {
  const media = (await get(owner, `${app.url}/api/media/${mediaId}?depth=0`)).body
  const response = await fetch(new URL(media.url, app.url), { headers: { authorization: `JWT ${owner.token}` } })
  expect(response.status).toBe(200)
  const file = path.join(scratch, `${mediaId}-${media.filename}`)
  await writeFile(file, Buffer.from(await response.arrayBuffer()))
  return { media, probed: await probeMedia(file) }
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'production-e2e-'))
  app = await startApp('api_v1_production', { RATE_LIMITS: testRateLimits, ...env() })
  const users = await people(app)
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  stranger = await users.person('stranger')
  project = await createDoc(app, owner, 'projects', { title: 'Lighthouse', genre: 'drama' })
  // The collaborator joins through an invitation, as members do.
  expectStatus(await post(owner, `/projects/${project.id}/invitations`, { email: collaborator.email }), 202)
  const pending = await get(collaborator, v1('/invitations'))
  const invitation = pending.body.docs.find((doc: { project: { id: string } }) => doc.project.id === project.id)
  expectStatus(await post(collaborator, `/invitations/${invitation.id}/accept`, { token: invitationToken(invitation.id, app.outboxDir) }), 200)
  episode = await createDoc(app, owner, 'episodes', { project: project.id, episodeNumber: 1, title: 'The keeper' })
  const mara = await createDoc(app, owner, 'characters', { project: project.id, name: 'Mara', voiceProfile: { voiceId: 'mara' } })
  const tom = await createDoc(app, owner, 'characters', { project: project.id, name: 'Tom', voiceProfile: { voiceId: 'tom' } })
  scenes = [
    await createDoc(app, owner, 'scenes', {
      episode: episode.id,
      title: 'The door',
      script: {
        action: 'Mara climbs the stairs. She opens the lamp room.',
        // Long enough that the episode cut takes a while: the test kills its worker in the middle of it.
        duration: 20,
        dialogue: [{ character: mara.id, lines: 'Still burning.', timing: 2 }],
      },
      characters: [mara.id],
    }),
    await createDoc(app, owner, 'scenes', {
      episode: episode.id,
      title: 'The visitor',
      script: {
        action: 'Tom knocks below.',
        duration: 16,
        dialogue: [
          { character: tom.id, lines: 'Anyone home?', timing: 1.5 },
          { character: mara.id, lines: 'Always.', timing: 1.5 },
        ],
      },
      characters: [mara.id, tom.id],
    }),
  ]
}, 900_000)
afterAll(async () => {
  for (const child of workers) killWorker(child)
  await app?.stop()
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

describe('an episode from script to screen', () => {
  it('refuses strangers with 404 on produce, review and assemble', async () => {
    expectStatus(await post(stranger, `/episodes/${episode.id}/produce`), 404)
    expectStatus(await post(stranger, `/episodes/${episode.id}/assemble`), 404)
    expectStatus(await post(stranger, `/scenes/${scenes[0].id}/review`, { decision: 'approve' }), 404)
    expectStatus(await post(owner, `/episodes/${episode.id}/produce`, { steps: ['teleport'] }), 400)
  })

  it('is produced by a collaborator and a worker process: both scenes in review with panels, video and audio linked', { timeout: 600_000 }, async () => {
    const produced = await post(collaborator, `/episodes/${episode.id}/produce`)
    expectStatus(produced, 202)
    expect(produced.body.tasks.map((task: { taskType: string }) => task.taskType).sort()).toEqual([
      'audio_generation',
      'audio_generation',
      'script_generation',
      'script_generation',
    ])
    const again = await post(owner, `/episodes/${episode.id}/produce`)
    expect(again.body.tasks.map((task: { id: string }) => task.id).sort()).toEqual(produced.body.tasks.map((task: { id: string }) => task.id).sort())

    startWorker('worker-1')
    const tasks = await waitFor('every task to finish', allSettled, 480_000)
    expect(tasks.filter((task) => task.status !== 'completed'), workerOutput.join('').slice(-3000)).toEqual([])
    for (const { id } of scenes) {
      const done = await scene(id)
      expect(done.production).toMatchObject({ status: 'reviewing', attempts: 1 })
      expect(done.storyboard.panels.length).toBeGreaterThan(0)
      for (const panel of done.storyboard.panels) expect(panel.image).toBeTruthy()
      for (const slot of ['videoSegment', 'audioTrack', 'sceneCut']) expect(done.production[slot], slot).toBeTruthy()
      const { media, probed } = await probeMediaFile(done.production.sceneCut)
      expect(media).toMatchObject({ scene: id, mediaType: 'video_segment', generationMetadata: { provider: 'custom', slot: 'production.sceneCut' } })
      expect(probed.streams.map((stream) => stream.codecType).sort()).toEqual(['audio', 'video'])
    }
    expect((await scene(scenes[0].id)).storyboard.panels.map((panel: { description: string }) => panel.description)).toEqual([
      'Mara climbs the stairs.',
      'She opens the lamp room.',
    ])
  })

  it('rejects a scene with regenerate as a second attempt, keeping the first take listed', { timeout: 600_000 }, async () => {
    const first = await scene(scenes[1].id)
    const rejected = await post(owner, `/scenes/${scenes[1].id}/review`, { decision: 'reject', note: 'More light', regenerate: ['video'] })
    expectStatus(rejected, 200)
    expect(rejected.body.production).toMatchObject({ status: 'generating', attempts: 2 })
    await waitFor('the regenerated scene to be in review', async () => ((await scene(scenes[1].id)).production.status === 'reviewing' ? true : undefined), 300_000)
    const second = await scene(scenes[1].id)
    expect(second.production.attempts).toBe(2)
    expect(second.production.videoSegment).not.toBe(first.production.videoSegment)
    const takes = await get(collaborator, v1(`/scenes/${scenes[1].id}/takes`))
    expectStatus(takes, 200)
    const video = takes.body.slots.find((slot: { slot: string }) => slot.slot === 'production.videoSegment')
    expect(video.current).toBe(second.production.videoSegment)
    expect(video.takes.map((media: { id: string }) => media.id)).toEqual(expect.arrayContaining([first.production.videoSegment, second.production.videoSegment]))
  })

  it('assembles the approved scenes into one MP4 as long as the scenes, even when its worker is killed mid-cut', { timeout: 600_000 }, async () => {
    const early = await post(owner, `/episodes/${episode.id}/assemble`)
    expectStatus(early, 409)
    expect(JSON.stringify(early.body)).toContain(scenes[0].id)
    for (const { id } of scenes) {
      const approved = await post(owner, `/scenes/${id}/review`, { decision: 'approve' })
      expectStatus(approved, 200)
      expect(approved.body.production.status).toBe('approved')
    }
    // The first worker is killed while it cuts the episode; a second one takes the task once its lease expires.
    const [running] = workers
    const cut = await post(owner, `/episodes/${episode.id}/assemble`)
    expectStatus(cut, 202)
    await waitFor('the episode cut to be claimed', async () => ((await get(owner, `${app.url}/api/tasks/${cut.body.id}?depth=0`)).body.status === 'processing' ? true : undefined), 120_000, 50)
    killWorker(running)
    // Killed while cutting, not after: the cut had not completed.
    expect((await get(owner, `${app.url}/api/tasks/${cut.body.id}?depth=0`)).body.status).toBe('processing')
    startWorker('worker-2')
    const done = await waitFor('the episode cut to complete', async () => {
      const task = (await get(owner, `${app.url}/api/tasks/${cut.body.id}?depth=0`)).body
      return task.status === 'completed' ? task : undefined
    }, 300_000)
    expect(done.lease.attempt).toBe(2)

    const final = await episodeDoc()
    expect(final.status).toBe('completed')
    const { media, probed } = await probeMediaFile(final.metadata.finalVideo)
    expect(media).toMatchObject({ mediaType: 'final_video', mimeType: 'video/mp4', episode: episode.id })
    // The scenes run 20 s and 16 s.
    expect(Math.abs(probed.durationSeconds - 36)).toBeLessThanOrEqual(0.5)
    expect(probed.streams.map((stream) => stream.codecType).sort()).toEqual(['audio', 'video'])
    expect(final.metadata.duration).toBe(probed.durationSeconds)
    const thumbnail = (await get(owner, `${app.url}/api/media/${final.metadata.thumbnail}?depth=0`)).body
    expect(thumbnail.mimeType).toMatch(/^image\//)
    const subtitles = (await get(owner, `${app.url}/api/media/${final.metadata.subtitles}?depth=0`)).body
    expect(subtitles.mimeType).toBe('text/vtt')
    // One final video for the episode, however often its cut was attempted.
    const finals = await get(owner, `${app.url}/api/media?where[episode][equals]=${episode.id}&where[mediaType][equals]=final_video&where[mimeType][equals]=video/mp4&depth=0`)
    expect(finals.body.totalDocs).toBe(1)
  })
})
