import type { Episode, Media, Scene, Task } from '../payload-types'

import { getMemberProjectIds } from '../access/memberships'
import { isAdminUser, isApiKeyUser } from '../model/roles'
import { moveEpisodeStatus, moveSceneStatus } from '../records/production/productionWrites'
import { planSceneWork, type ProductionStep, sceneTimeline } from '../records/production/scenePlan'
import { relationId } from '../model/references'
import { targetOf } from '../records/taskTargets'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { recordAudit } from '../audit/recordAudit'
import { openTaskStatuses, type regenerableSceneParts } from '../model/options'
import { slugs } from '../model/slugs'
import { type Actor, requestOf, requireUser } from './actor'
import { episodeService } from './episodeService'
import { parseInput } from './schemas/common'
import {
  assembleEpisodeSchema,
  type AssembleEpisodeDTO,
  produceEpisodeSchema,
  type ProduceEpisodeDTO,
  reviewSceneSchema,
  type ReviewSceneDTO,
} from './schemas/productionSchemas'
import { sceneService } from './sceneService'

/**
 * Production of an episode (docs/QUEUE.md, Production): plan and enqueue its scenes' work, review scenes, assemble
 * the episode. Only members of the project who may write its scenes (owner, collaborators) and admins; anyone else
 * — a stranger, a worker's API key — gets the 404 of a document they may not produce.
 */
async function requireProducer(actor: Actor, projectId: string, notFound: NotFoundError) {
  const { user } = requireUser(actor)
  if (isAdminUser(user)) return
  if (isApiKeyUser(user) || !(await getMemberProjectIds(await requestOf(actor))).includes(projectId)) throw notFound
}

async function producibleEpisode(actor: Actor, id: string): Promise<Episode> {
  const episode = await episodeService.findById({ actor, id, depth: 0 })
  await requireProducer(actor, relationId(episode.project)!, new NotFoundError({ resource: 'Episode', id }))
  return episode
}

async function producibleScene(actor: Actor, id: string): Promise<Scene> {
  const scene = await sceneService.findById({ actor, id, depth: 0 })
  await requireProducer(actor, relationId(scene.project)!, new NotFoundError({ resource: 'Scene', id }))
  return scene
}

/** The scenes of an episode in scene order (system read: the caller's right to the episode was checked). */
async function scenesOf(actor: Actor, episode: Episode): Promise<Scene[]> {
  const { docs } = await actor.payload.find({
    collection: slugs.scenes,
    where: { and: [{ project: { equals: relationId(episode.project) } }, { episode: { equals: episode.id } }] },
    sort: 'sceneNumber',
    depth: 0,
    limit: 500,
    pagination: false,
    overrideAccess: true,
  })
  return docs as Scene[]
}

async function openTasksOf(actor: Actor, where: Record<string, unknown>): Promise<Task[]> {
  const { docs } = await actor.payload.find({
    collection: slugs.tasks,
    where: { and: [where, { status: { in: [...openTaskStatuses] } }] } as never,
    sort: 'createdAt',
    depth: 0,
    limit: 500,
    pagination: false,
    overrideAccess: true, // the caller is a producer of the project (checked)
  })
  return docs as Task[]
}

/**
 * Plans the episode's task graph (src/records/production/scenePlan.ts) for its pending and failed scenes (or the ones
 * named), enqueued as the caller. A scene already generating answers its open tasks (producing again adds nothing);
 * scenes in review or approved are left alone (a review's reject regenerates them). The episode enters production.
 */
async function produce({ actor, ...input }: { actor: Actor } & ProduceEpisodeDTO): Promise<{ tasks: Task[] }> {
  const { episodeId, scenes: named, steps, priority, force } = parseInput(produceEpisodeSchema, input)
  const episode = await producibleEpisode(actor, episodeId)
  const all = await scenesOf(actor, episode)
  const issues = (named ?? []).flatMap((sceneId, index) =>
    all.some((scene) => scene.id === sceneId) ? [] : [{ path: `scenes.${index}`, message: `Scene ${sceneId} is not a scene of this episode.` }],
  )
  if (issues.length > 0) throw new ValidationError({ issues })
  const chosen = named ? all.filter((scene) => named.includes(scene.id)) : all
  const tasks: Task[] = []
  const user = requireUser(actor).user
  for (const scene of chosen) {
    const status = scene.production?.status ?? 'pending'
    if (status === 'generating') tasks.push(...(await openTasksOf(actor, { scene: { equals: scene.id } })))
    else if (status === 'pending' || status === 'failed') {
      const work = await planSceneWork({ payload: actor.payload, sceneId: scene.id, steps: steps as ProductionStep[] | undefined, force, priority, user })
      tasks.push(...work.open, ...work.created)
    }
  }
  await moveEpisodeStatus(actor.payload, { episodeId, to: 'production' })
  await recordAudit({ req: await requestOf(actor), entry: { operation: 'update', collection: slugs.episodes, documentId: episodeId, changedFields: ['production'] } })
  return { tasks: [...new Map(tasks.map((task) => [task.id, task])).values()] }
}

const stepsOf: Record<(typeof regenerableSceneParts)[number], ProductionStep[]> = {
  storyboard: ['images', 'video'],
  video: ['video'],
  audio: ['audio'],
}

/**
 * A review of a scene in `reviewing`: approve → approved; reject → pending, and with `regenerate` the named parts
 * are generated again as a new attempt (a new round; the scene cut follows). The earlier takes stay listed
 * (GET /api/v1/scenes/{id}/takes). 409 when the scene is not in review.
 */
async function review({ actor, ...input }: { actor: Actor } & ReviewSceneDTO): Promise<Scene> {
  const { sceneId, decision, note, regenerate } = parseInput(reviewSceneSchema, input)
  const scene = await producibleScene(actor, sceneId)
  const to = decision === 'approve' ? 'approved' : 'pending'
  const { moved } = await moveSceneStatus(actor.payload, { sceneId, path: ['reviewing', to], set: { 'production.reviewNote': note ?? null } })
  if (!moved) {
    throw new ConflictError({
      message: `Scene ${sceneId} is ${scene.production?.status ?? 'pending'}; only a scene in review can be approved or rejected.`,
      details: { field: 'production.status', from: scene.production?.status ?? 'pending', to },
    })
  }
  await recordAudit({ req: await requestOf(actor), entry: { operation: 'update', collection: slugs.scenes, documentId: sceneId, changedFields: ['production.status'] } })
  if (decision === 'reject' && regenerate) {
    const steps = [...new Set([...regenerate.flatMap((part) => stepsOf[part]), 'assembly' as const])]
    await planSceneWork({ payload: actor.payload, sceneId, steps, force: true, user: requireUser(actor).user })
  }
  return sceneService.findById({ actor, id: sceneId, depth: 0 })
}

export type Subtitle = { start: number; end: number; text: string; speaker?: string }

/**
 * Enqueues the episode cut (docs/QUEUE.md, Production): the scene cuts in scene order, with subtitles from the
 * dialogue on the episode timeline; its landing fills metadata.finalVideo, thumbnail, subtitles and duration. 409
 * naming the scenes not approved (unless allowUnapproved) or without a scene cut. An open cut is answered again.
 */
async function assemble({ actor, ...input }: { actor: Actor } & AssembleEpisodeDTO): Promise<Task> {
  const { episodeId, allowUnapproved, priority } = parseInput(assembleEpisodeSchema, input)
  const episode = await producibleEpisode(actor, episodeId)
  const open = (await openTasksOf(actor, { episode: { equals: episodeId }, taskType: { equals: 'scene_assembly' } })).find(
    (task) => targetOf(task.input?.parameters)?.slot === 'metadata.finalVideo',
  )
  if (open) return open
  const scenes = await scenesOf(actor, episode)
  if (scenes.length === 0) throw new ConflictError({ message: 'The episode has no scenes to assemble.', details: { scenes: [] } })
  const unapproved = scenes.filter((scene) => scene.production?.status !== 'approved')
  if (unapproved.length > 0 && !allowUnapproved) {
    throw new ConflictError({
      message: `Scenes not approved yet: ${unapproved.map((scene) => `#${scene.sceneNumber} (${scene.production?.status ?? 'pending'})`).join(', ')}.`,
      details: { scenes: unapproved.map((scene) => ({ id: scene.id, sceneNumber: scene.sceneNumber, status: scene.production?.status ?? 'pending' })) },
    })
  }
  const uncut = scenes.filter((scene) => !relationId(scene.production?.sceneCut))
  if (uncut.length > 0) {
    throw new ConflictError({
      message: `Scenes without a scene cut: ${uncut.map((scene) => `#${scene.sceneNumber}`).join(', ')}. Produce them first.`,
      details: { scenes: uncut.map((scene) => ({ id: scene.id, sceneNumber: scene.sceneNumber })) },
    })
  }
  const subtitles = await episodeSubtitles(actor, scenes)
  const task = (await actor.payload.create({
    collection: slugs.tasks,
    data: {
      taskType: 'scene_assembly',
      project: relationId(episode.project),
      episode: episodeId,
      priority: priority ?? 5,
      input: {
        parameters: {
          kind: 'episode',
          sceneCutMediaIds: scenes.map((scene) => relationId(scene.production?.sceneCut)!),
          subtitles,
          target: { collection: 'episodes', id: episodeId, slot: 'metadata.finalVideo' },
        },
      },
    } as never,
    depth: 0,
    user: requireUser(actor).user,
    overrideAccess: false,
  })) as Task
  await moveEpisodeStatus(actor.payload, { episodeId, to: 'editing' })
  return task
}

/** The dialogue lines of the scenes on the episode's timeline (each scene starts where the previous one ended). */
async function episodeSubtitles(actor: Actor, scenes: Scene[]): Promise<Subtitle[]> {
  const characterIds = [...new Set(scenes.flatMap((scene) => (scene.script?.dialogue ?? []).map((line) => relationId(line.character)).filter((c): c is string => Boolean(c))))]
  const { docs } = characterIds.length
    ? await actor.payload.find({ collection: slugs.characters, where: { id: { in: characterIds } }, depth: 0, limit: characterIds.length, overrideAccess: true })
    : { docs: [] }
  const characters = new Map(docs.map((character) => [String(character.id), character]))
  const subtitles: Subtitle[] = []
  let offset = 0
  for (const scene of scenes) {
    const { duration, lines } = sceneTimeline(scene, characters as never)
    for (const line of lines) {
      const start = Math.min(line.start, duration)
      const end = Math.min('end' in line && typeof line.end === 'number' ? line.end : start + 2, duration)
      if (end > start) subtitles.push({ start: offset + start, end: offset + end, text: line.text, ...(line.character ? { speaker: line.character } : {}) })
    }
    offset += duration
  }
  return subtitles
}

export type SceneTakes = { scene: string; slots: { slot: string; current: string | null; takes: Media[] }[] }

/**
 * Every generated result of a scene by slot, newest first, with the one the slot points at now: the previous takes
 * are never deleted. Whoever may read the scene may read its takes (the media are read with the caller's rights).
 */
async function takes({ actor, sceneId: id }: { actor: Actor; sceneId: string }): Promise<SceneTakes> {
  const scene = await sceneService.findById({ actor, id, depth: 0 })
  const { docs } = await actor.payload.find({
    collection: slugs.media,
    where: { and: [{ scene: { equals: id } }, { 'generationMetadata.slot': { exists: true } }] },
    sort: '-createdAt',
    depth: 0,
    limit: 500,
    pagination: false,
    user: actor.user,
    overrideAccess: false,
  })
  const current = (slot: string): string | null => {
    const panel = /^storyboard\.panels\.(\d+)\.image$/.exec(slot)
    if (panel) return relationId(scene.storyboard?.panels?.[Number(panel[1])]?.image) ?? null
    const [, field] = slot.split('.')
    return relationId((scene.production as Record<string, unknown> | undefined)?.[field]) ?? null
  }
  const bySlot = new Map<string, Media[]>()
  for (const media of docs as Media[]) {
    const slot = media.generationMetadata?.slot
    if (slot) bySlot.set(slot, [...(bySlot.get(slot) ?? []), media])
  }
  return { scene: id, slots: [...bySlot.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([slot, list]) => ({ slot, current: current(slot), takes: list })) }
}

export const productionService = { produce, review, assemble, takes }
