import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import sharp from 'sharp'

import type { Character, Episode, Project, Scene, User } from '../../payload-types'

import { slugs } from '../../model/slugs'
import { createTaskQueue } from '../../queue'
import { sessionService } from '../../services/sessionService'
import { type ProductionSize, seedProductionSeries } from './productionSize'

/** The demo accounts: one of every role, plus a collaborator and an outsider who shares nothing. */
export const demoAccounts = [
  { key: 'admin', email: 'admin@demo.test', name: 'Ada Admin', role: 'admin', tier: 'enterprise' },
  { key: 'producer', email: 'producer@demo.test', name: 'Pat Producer', role: 'producer', tier: 'pro' },
  { key: 'writer', email: 'writer@demo.test', name: 'Wren Writer', role: 'user', tier: 'free' },
  { key: 'outsider', email: 'outsider@demo.test', name: 'Oli Outsider', role: 'user', tier: 'free' },
] as const

export type DemoAccountKey = (typeof demoAccounts)[number]['key']

export type SeedProgress = { advance: (step?: number) => void }

export type SeedResult = {
  /** Passwords of the demo accounts, generated for this run (printed once by the script, stored nowhere). */
  credentials: { email: string; role: string; password: string }[]
  counts: Record<string, number>
}

/** Steps one unit of `--scale` reports to the progress bar (projects, episodes, scenes, media, tasks, …). */
export const SEED_STEPS_PER_UNIT = 28

const lighthouseScenes = [
  {
    title: 'The lamp goes dark',
    action: 'Night. Wind hammers the lantern room. MARA climbs the last steps with a storm lamp as the great light stutters and dies.',
    dialogue: [
      { speaker: 'mara', lines: 'Not tonight. Not with the Alder still out there.', emotion: 'fear', timing: 4 },
      { speaker: 'tomas', lines: 'The mantle cracked. I told the board in March.', emotion: 'bitter', timing: 3.5 },
      { speaker: 'mara', lines: 'Then we light it by hand.', emotion: 'resolve', timing: 2 },
    ],
    location: 'Lantern room',
    timeOfDay: 'night',
    status: ['generating', 'reviewing', 'approved'],
  },
  {
    title: 'Signal from the sea',
    action: 'Through rain-streaked glass, a green flare rises beyond the reef. TOMAS grabs the logbook.',
    dialogue: [
      { speaker: 'tomas', lines: 'Green over the reef. That is the Alder’s mark.', emotion: 'urgent', timing: 3 },
      { speaker: 'mara', lines: 'Write the time. Everything we do tonight goes in the book.', emotion: 'steady', timing: 3.5 },
    ],
    location: 'Gallery',
    timeOfDay: 'night',
    status: ['generating', 'reviewing'],
  },
  {
    title: 'Morning after',
    action: 'Dawn. The storm is spent. Wreckage on the shingle; MARA and the SKIPPER meet at the waterline.',
    dialogue: [
      { speaker: 'skipper', lines: 'Nine souls aboard. Nine souls ashore. Your light held.', emotion: 'grateful', timing: 4 },
      { speaker: 'mara', lines: 'It was never the light. It was the people who kept it.', emotion: 'quiet', timing: 4 },
    ],
    location: 'Shingle beach',
    timeOfDay: 'dawn',
    status: ['generating', 'failed'],
  },
] as const

/** Projects of one scale unit: several states, so the dashboard, hub and lists all have something to show. */
const projectPlans = [
  {
    title: 'The Lighthouse Keeper',
    description: 'A keeper and her estranged brother hold a failing light through the worst storm in a century.',
    genre: 'drama',
    targetAudience: 'family',
    episodeCount: 6,
    qualityTier: 'standard',
    statusPath: ['pre-production', 'production'],
    episodes: [
      { title: 'The Storm Watch', statusPath: ['scripting', 'storyboarding', 'production'], withScenes: true },
      { title: 'Salt and Iron', statusPath: ['scripting'], withScenes: false },
      { title: 'What the Tide Keeps', statusPath: [], withScenes: false },
    ],
  },
  {
    title: 'Neon Tide',
    description: 'In a drowned megacity, a courier smuggles memories between floating districts.',
    genre: 'sci-fi',
    targetAudience: 'adult',
    episodeCount: 8,
    qualityTier: 'premium',
    statusPath: ['pre-production'],
    episodes: [{ title: 'Pilot: Low Water', statusPath: ['scripting'], withScenes: false }],
  },
  {
    title: 'Paper Moons',
    description: 'Two rival puppet theatres share one stage for a summer festival.',
    genre: 'comedy',
    targetAudience: 'children',
    episodeCount: 4,
    qualityTier: 'draft',
    statusPath: ['on-hold'],
    episodes: [],
  },
] as const

const characterPlans = [
  {
    key: 'mara',
    name: 'Mara Quill',
    description: 'Head keeper, forty, stubborn and exact; keeps the log in a hand nobody else can read.',
    age: 40,
    gender: 'female',
    personality: ['stubborn', 'precise', 'protective'],
    voiceCharacteristics: 'Low, even, a coastal burr',
    colors: ['#1d3557', '#f1faee', '#e63946'],
  },
  {
    key: 'tomas',
    name: 'Tomas Quill',
    description: 'Her younger brother, an engineer back after ten years away, blames himself for the cracked mantle.',
    age: 34,
    gender: 'male',
    personality: ['restless', 'clever', 'guilty'],
    voiceCharacteristics: 'Quick, bright, breaks when angry',
    colors: ['#264653', '#2a9d8f', '#e9c46a'],
  },
  {
    key: 'skipper',
    name: 'Skipper Hale',
    description: 'Master of the trawler Alder; has crossed the reef in every weather but this one.',
    age: 58,
    gender: 'male',
    personality: ['gruff', 'loyal'],
    voiceCharacteristics: 'Gravel, slow',
    colors: ['#3d405b', '#81b29a', '#f2cc8f'],
  },
] as const

/** A small real PNG: a banded gradient with a disc, coloured per subject, so thumbnails tell media apart. */
async function demoImage(colors: readonly string[], label: string) {
  const [a, b, c] = colors
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
    <rect width="480" height="270" fill="url(#g)"/><circle cx="360" cy="90" r="48" fill="${c}" opacity="0.85"/>
    <rect x="0" y="200" width="480" height="70" fill="${a}" opacity="0.6"/></svg>`
  const data = await sharp(Buffer.from(svg)).png().toBuffer()
  return { data, mimetype: 'image/png', name: `${label}.png`, size: data.length }
}

const password = () => `Demo-${randomBytes(9).toString('base64url')}`

/**
 * A realistic demo production built through the Local API, so every hook runs (numbering, derived figures, audit,
 * quotas) and every status is reached through its state machine, not written directly. System code: the seed acts
 * for ops, so access is overridden; the demo accounts are set as authors where a document names one.
 */
export async function seedDemoProduction({
  payload,
  scale = 1,
  production,
  progress,
}: {
  payload: Payload
  scale?: number
  /** Also a series of this size owned by the demo producer (`--scale` without a number; src/ops/seed/productionSize.ts). */
  production?: ProductionSize
  progress?: SeedProgress
}): Promise<SeedResult> {
  const step = (n = 1) => progress?.advance(n)
  const counts: Record<string, number> = {}
  const count = (slug: string, n = 1) => (counts[slug] = (counts[slug] ?? 0) + n)

  const credentials: SeedResult['credentials'] = []
  const accounts = {} as Record<DemoAccountKey, User>
  for (const account of demoAccounts) {
    const secret = password()
    accounts[account.key] = (await payload.create({
      collection: slugs.users,
      data: { email: account.email, password: secret, name: account.name, role: account.role, subscription: { tier: account.tier } } as never,
      overrideAccess: true, // ops create the demo accounts, admins included
    })) as User
    credentials.push({ email: account.email, role: account.role, password: secret })
    count('users')
  }
  const admin = accounts.admin
  // Local API calls as the admin account with access overridden: the seed is an ops import (statuses, authors and
  // append-only execution records may be written as an admin import would).
  const asOps = { overrideAccess: true, user: admin } as const

  for (let unit = 0; unit < scale; unit++) {
    // Past the first unit, each unit belongs to a producer of its own, so quotas hold as they would for real users.
    const owner =
      unit === 0
        ? accounts.producer
        : ((await payload.create({
            collection: slugs.users,
            data: { email: `producer+${unit}@demo.test`, password: password(), name: `Producer ${unit + 1}`, role: 'producer', subscription: { tier: 'pro' } } as never,
            ...asOps,
          })) as User)
    if (unit > 0) count('users')
    await seedUnit({ payload, unit, owner, writer: accounts.writer, asOps, count, step })
  }

  await seedTemplatesAndSession({ payload, accounts, asOps, count })
  if (production) await seedProductionSeries({ payload, owner: accounts.producer, asOps, size: production, count, step })
  return { credentials, counts }
}

type Counter = (slug: string, n?: number) => void
type AsOps = { overrideAccess: true; user: User }

/** Moves a document through `path` one legal transition at a time (the state machines refuse skipped stages). */
async function walkStatus(payload: Payload, asOps: AsOps, collection: 'projects' | 'episodes' | 'scenes', id: string, path: readonly string[]) {
  for (const status of path) {
    const data = collection === 'scenes' ? { production: { status } } : { status }
    await payload.update({ collection, id, data: data as never, depth: 0, ...asOps })
  }
}

async function seedUnit({
  payload,
  unit,
  owner,
  writer,
  asOps,
  count,
  step,
}: {
  payload: Payload
  unit: number
  owner: User
  writer: User
  asOps: AsOps
  count: Counter
  step: (n?: number) => void
}) {
  const suffix = unit === 0 ? '' : ` #${unit + 1}`
  const queue = createTaskQueue({ payload, leaseMs: 24 * 60 * 60 * 1000 })
  for (const [index, plan] of projectPlans.entries()) {
    const project = (await payload.create({
      collection: slugs.projects,
      data: {
        title: `${plan.title}${suffix}`,
        description: plan.description,
        genre: plan.genre,
        targetAudience: plan.targetAudience,
        episodeCount: plan.episodeCount,
        createdBy: owner.id,
        // The writer collaborates on the first project only: the outsider and the writer see different worlds.
        collaborators: index === 0 ? [writer.id] : [],
        projectSettings: { aspectRatio: '16:9', episodeDuration: 22, qualityTier: plan.qualityTier },
      } as never,
      depth: 0,
      ...asOps,
    })) as Project
    count('projects')
    step()
    if (index !== 0) {
      for (const episodePlan of plan.episodes) {
        const episode = (await payload.create({
          collection: slugs.episodes,
          data: { project: project.id, title: episodePlan.title, synopsis: { logline: `${plan.title}: ${episodePlan.title}.` } } as never,
          depth: 0,
          ...asOps,
        })) as Episode
        await walkStatus(payload, asOps, 'episodes', episode.id, episodePlan.statusPath)
        count('episodes')
        step()
      }
      await walkStatus(payload, asOps, 'projects', project.id, plan.statusPath)
      continue
    }

    // The flagship project: characters with designs, an episode with scripted scenes, media, tasks in every status.
    const characters: Record<string, Character> = {}
    for (const plan of characterPlans) {
      const design = await payload.create({
        collection: slugs.media,
        data: { project: project.id, mediaType: 'character_design', alt: `${plan.name}, character design`, tags: ['character', plan.key], createdBy: owner.id } as never,
        file: await demoImage(plan.colors, `${plan.key}-design`),
        depth: 0,
        ...asOps,
      })
      count('media')
      characters[plan.key] = (await payload.create({
        collection: slugs.characters,
        data: {
          project: project.id,
          name: plan.name,
          description: plan.description,
          profile: { age: plan.age, gender: plan.gender, personality: [...plan.personality] },
          visualDesign: { finalDesign: design.id, colorPalette: plan.colors.join(', ') },
          voiceProfile: { voiceCharacteristics: plan.voiceCharacteristics },
        } as never,
        depth: 0,
        ...asOps,
      })) as Character
      count('characters')
      step(2)
    }
    const style = await payload.create({
      collection: slugs.media,
      data: { project: project.id, mediaType: 'style_reference', alt: 'Storm palette: slate, foam, signal red', tags: ['style', 'storm'], createdBy: owner.id } as never,
      file: await demoImage(['#0b132b', '#5bc0be', '#ff6b6b'], 'style-storm'),
      depth: 0,
      ...asOps,
    })
    count('media')
    await payload.update({ collection: slugs.projects, id: project.id, data: { styleReferences: [style.id] } as never, depth: 0, ...asOps })

    let firstScene: Scene | undefined
    let firstEpisode: Episode | undefined
    for (const episodePlan of plan.episodes) {
      const episode = (await payload.create({
        collection: slugs.episodes,
        data: {
          project: project.id,
          title: episodePlan.title,
          synopsis: { logline: `${plan.title}: ${episodePlan.title}.`, themes: ['duty', 'family', 'weather'] },
        } as never,
        depth: 0,
        ...asOps,
      })) as Episode
      count('episodes')
      firstEpisode ??= episode
      if (episodePlan.withScenes) {
        for (const scenePlan of lighthouseScenes) {
          const scene = (await payload.create({
            collection: slugs.scenes,
            data: {
              project: project.id,
              episode: episode.id,
              title: scenePlan.title,
              script: {
                action: scenePlan.action,
                dialogue: scenePlan.dialogue.map(({ speaker, lines, emotion, timing }) => ({ character: characters[speaker].id, lines, emotion, timing })),
              },
              characters: [...new Set(scenePlan.dialogue.map(({ speaker }) => characters[speaker].id))],
              location: scenePlan.location,
              timeOfDay: scenePlan.timeOfDay,
            } as never,
            depth: 0,
            ...asOps,
          })) as Scene
          firstScene ??= scene
          count('scenes')
          const board = await payload.create({
            collection: slugs.media,
            data: {
              project: project.id,
              episode: episode.id,
              scene: scene.id,
              mediaType: 'storyboard',
              alt: `Storyboard: ${scenePlan.title}`,
              agentGenerated: true,
              generationMetadata: { provider: 'fal', modelVersion: 'fal-ai/nano-banana', cost: 0.04 },
              createdBy: owner.id,
            } as never,
            file: await demoImage(['#14213d', '#fca311', '#e5e5e5'], `board-${scene.id}`),
            depth: 0,
            ...asOps,
          })
          count('media')
          await payload.update({
            collection: slugs.scenes,
            id: scene.id,
            data: { storyboard: { panels: [{ panelNumber: 1, description: scenePlan.action, image: board.id, cameraAngle: 'wide' }] } } as never,
            depth: 0,
            ...asOps,
          })
          await walkStatus(payload, asOps, 'scenes', scene.id, scenePlan.status)
          step(3)
        }
      }
      await walkStatus(payload, asOps, 'episodes', episode.id, episodePlan.statusPath)
      step()
    }
    await walkStatus(payload, asOps, 'projects', project.id, plan.statusPath)

    // Tasks in every status, each reached the way a worker or producer reaches it (claim, then complete or fail;
    // cancel; a claim still heartbeating).
    const newTask = async (taskType: string, priority: number, extra: Record<string, unknown> = {}) => {
      count('tasks')
      return payload.create({
        collection: slugs.tasks,
        data: { project: project.id, taskType, priority, episode: firstEpisode?.id, scene: firstScene?.id, input: { parameters: { style: 'storm' } }, ...extra } as never,
        depth: 0,
        ...asOps,
      })
    }
    const workerId = `demo-worker-${unit + 1}`
    const settled = async (taskType: string, settle: (taskId: string, attempt: number) => Promise<unknown>) => {
      const task = await newTask(taskType, 10)
      const claimed = await queue.claim({ workerId, types: [taskType] })
      if (!claimed || claimed.task.id !== task.id) throw new Error(`The seed could not claim its own ${taskType} task (is a worker running against this database?)`)
      await settle(task.id, claimed.attempt)
    }
    await settled('image_generation', (taskId, attempt) =>
      queue.complete({ taskId, attempt, workerId, output: { result: { note: 'storyboard panel rendered' }, metrics: { cost: 0.04, tokensUsed: 0 } } }),
    )
    await settled('audio_generation', (taskId, attempt) =>
      queue.fail({ taskId, attempt, workerId, error: { code: 'PROVIDER_REJECTED', message: 'Voice sample too short for cloning' }, retryable: false }),
    )
    // A queued task is cancelled at once (a claimed one only at its worker's next heartbeat).
    await queue.cancel({ taskId: (await newTask('video_generation', 3)).id, reason: 'Producer changed the shot list' })
    await settled('scene_assembly', (taskId, attempt) => queue.heartbeat({ taskId, attempt, workerId, progress: { percentage: 40, currentStep: 'Mixing dialogue' } }))
    await newTask('embedding_generation', 5)
    await newTask('script_generation', 7)
    step(6)
  }
}

async function seedTemplatesAndSession({
  payload,
  accounts,
  asOps,
  count,
}: {
  payload: Payload
  accounts: Record<DemoAccountKey, User>
  asOps: AsOps
  count: Counter
}) {
  const template = await payload.create({
    collection: slugs.promptTemplates,
    data: {
      name: 'Scene beat outline',
      app: 'studio',
      feature: 'scripting',
      stage: 'outline',
      tags: [{ value: 'drama' }, { value: 'outline' }],
      template: 'Outline the beats of a {{genre}} scene set at {{location}}. Keep it under {{maxBeats}} beats.',
      variableDefs: [
        { name: 'genre', type: 'string', required: true },
        { name: 'location', type: 'text', required: true },
        { name: 'maxBeats', type: 'number', required: false, defaultValue: 6 },
      ],
      outputSchema: { type: 'object', required: ['beats'], properties: { beats: { type: 'array', items: { type: 'string' } } } },
      model: 'anthropic/claude-sonnet-4',
    } as never,
    depth: 0,
    ...asOps,
  })
  count('prompt-templates')
  const flagship = (await payload.find({ collection: slugs.projects, where: { createdBy: { equals: accounts.producer.id } }, sort: 'createdAt', limit: 1, depth: 0, ...asOps })).docs[0]
  const resolvedPrompt = 'Outline the beats of a drama scene set at Lantern room. Keep it under 6 beats.'
  const base = {
    templateId: template.id,
    templateVersion: 1,
    app: 'studio',
    feature: 'scripting',
    stage: 'outline',
    tagsSnapshot: [{ value: 'drama' }, { value: 'outline' }],
    project: flagship?.id,
    inputs: { genre: 'drama', location: 'Lantern room', maxBeats: 6 },
    resolvedPrompt,
    model: 'anthropic/claude-sonnet-4',
  }
  const started = new Date(Date.now() - 60_000)
  await payload.create({
    collection: slugs.promptsExecuted,
    data: { ...base, status: 'success', outputRaw: '{"beats":["The lamp fails","Mara climbs","Tomas confesses","They light it by hand"]}', startedAt: started, finishedAt: new Date(started.getTime() + 2_400) } as never,
    depth: 0,
    ...asOps,
  })
  await payload.create({
    collection: slugs.promptsExecuted,
    data: { ...base, status: 'error', errorMessage: 'Output failed the schema: /beats must be array', startedAt: started, finishedAt: new Date(started.getTime() + 1_900) } as never,
    depth: 0,
    ...asOps,
  })
  count('prompts-executed', 2)

  if (!flagship) return
  // The conversation goes through the sessions service as the producer would have it (messages in order).
  const actor = { payload, user: accounts.producer }
  const session = await sessionService.start({ actor, data: { project: flagship.id } as never })
  await sessionService.appendMessage({ actor, sessionId: session.id, role: 'user', content: 'Let’s rework the storm scene so Tomas arrives later.' })
  await sessionService.appendMessage({ actor, sessionId: session.id, role: 'assistant', content: 'Here are two ways to delay his entrance.' })
  await sessionService.offerChoices({
    actor,
    sessionId: session.id,
    choices: [
      { choiceId: 'late-entrance', label: 'Tomas arrives after the lamp fails', action: 'rewrite_scene' },
      { choiceId: 'voice-only', label: 'Tomas is heard on the radio first', action: 'rewrite_scene' },
    ],
  })
  count('sessions')
  count('session-messages', 2)
}
