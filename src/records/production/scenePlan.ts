import type { Payload, TypedUser } from 'payload'

import type { Character, Project, Scene, Task } from '../../payload-types'
import { ValidationError } from '../../errors'
import { openTaskStatuses } from '../../model/options'
import { slugs } from '../../model/slugs'
import { relationId, relationIds } from '../../model/references'
import { slotPath, targetOf, type TaskTarget } from '../taskTargets'
import { moveSceneStatus, type SceneStatus } from './productionWrites'
import { ensureStoryboardTemplate } from './storyboardTemplate'

/** The steps of a scene's production, in the order they depend on each other. */
export const productionSteps = ['storyboard', 'images', 'video', 'audio', 'assembly'] as const
export type ProductionStep = (typeof productionSteps)[number]

/** What the storyboard plan task carries so that its landing plans the rest of the scene the same way. */
export type FollowUp = { steps: ProductionStep[]; force: boolean; priority: number }

/** A scene without a duration is produced this long (seconds). */
export const DEFAULT_SCENE_SECONDS = 5

/**
 * A parameter a task gets from a dependency: `{ fromTask: <id> }` is replaced by that dependency's output media id
 * when the task is claimed (all its dependencies have completed by then; src/queue/fromTaskParameters.ts).
 */
export type FromTask = { fromTask: string }

export type SceneWork = { created: Task[]; open: Task[] }

type Spec = { key: string; taskType: Task['taskType']; parameters: Record<string, unknown>; dependsOn: string[] }

/** The seconds a scene runs, and its dialogue lines placed one after another by their timings. */
export function sceneTimeline(scene: Scene, characters: Map<string, Character>) {
  let start = 0
  const lines = (scene.script?.dialogue ?? []).map((line) => {
    const character = characters.get(relationId(line.character) ?? '')
    const length = line.timing ?? 0
    const placed = {
      text: line.lines,
      ...(character?.voiceProfile?.voiceId ? { voiceId: character.voiceProfile.voiceId } : {}),
      ...(character ? { character: character.name } : {}),
      ...(line.emotion ? { emotion: line.emotion } : {}),
      start,
      ...(length > 0 ? { end: start + length } : {}),
    }
    start += length
    return placed
  })
  const duration = scene.script?.duration && scene.script.duration > 0 ? scene.script.duration : Math.max(start, DEFAULT_SCENE_SECONDS)
  return { duration, lines }
}

/**
 * Plans and enqueues the work a scene still needs (POST /api/v1/episodes/{id}/produce, a review's regenerate, a
 * storyboard plan's landing): a storyboard plan when it has no panels (the rest is planned when the plan lands), one
 * image per panel, the video from the first panel, the dialogue track, and the scene cut, with the engine's
 * dependencies between them. Slots already filled are skipped unless `force`; a slot with an open task keeps that
 * task (it is answered, not doubled). When anything is enqueued the scene enters `generating` (an attempt) first, so
 * the round's tasks are those created since its `lastAttempt`. `user` enqueues as that caller (access rules apply);
 * without it, as the system (a plan's landing).
 */
export async function planSceneWork({
  payload,
  sceneId,
  steps = [...productionSteps],
  force = false,
  priority = 5,
  user,
}: {
  payload: Payload
  sceneId: string
  steps?: ProductionStep[]
  force?: boolean
  priority?: number
  user?: TypedUser | null
}): Promise<SceneWork> {
  // overrideAccess: the caller's right to produce the scene was checked by the service (or the system plans).
  const scene = (await payload.findByID({ collection: slugs.scenes, id: sceneId, depth: 0, overrideAccess: true })) as Scene
  const projectId = relationId(scene.project)!
  const project = (await payload.findByID({ collection: slugs.projects, id: projectId, depth: 0, overrideAccess: true, select: { projectSettings: true } })) as Project
  const castIds = [...new Set([...relationIds(scene.characters), ...(scene.script?.dialogue ?? []).map((line) => relationId(line.character)).filter((id): id is string => Boolean(id))])]
  const cast = castIds.length
    ? ((await payload.find({ collection: slugs.characters, where: { id: { in: castIds } }, depth: 0, limit: castIds.length, overrideAccess: true })).docs as Character[])
    : []
  const characters = new Map(cast.map((character) => [character.id, character]))
  const openTasks = (
    await payload.find({
      collection: slugs.tasks,
      where: { and: [{ scene: { equals: sceneId } }, { status: { in: [...openTaskStatuses] } }] },
      depth: 0,
      limit: 500,
      pagination: false,
      overrideAccess: true,
    })
  ).docs as Task[]
  const openBySlot = new Map<string, Task>()
  for (const task of openTasks) {
    const target = targetOf(task.input?.parameters)
    if (target) openBySlot.set(slotPath(target), task)
  }
  const wants = (step: ProductionStep) => steps.includes(step)
  const target = (slot: string, panel?: number): TaskTarget => ({ collection: 'scenes', id: sceneId, slot, ...(panel !== undefined ? { panel } : {}) })
  const specs: Spec[] = []
  const used: Task[] = []
  /** The task (planned now, or open) that fills a slot, by the key specs use for dependencies. */
  const fillers = new Map<string, { fromTask: string } | { planned: string }>()
  const open = (path: string) => {
    const task = openBySlot.get(path)
    if (task) {
      used.push(task)
      fillers.set(path, { fromTask: task.id })
    }
    return task
  }
  const panels = scene.storyboard?.panels ?? []
  const { duration, lines } = sceneTimeline(scene, characters)
  const action = scene.script?.action?.trim() ?? ''

  if (wants('audio') && lines.length > 0 && (force || !scene.production?.audioTrack) && !open('production.audioTrack')) {
    specs.push({ key: 'production.audioTrack', taskType: 'audio_generation', parameters: { lines, duration, target: target('production.audioTrack') }, dependsOn: [] })
  }
  if (panels.length === 0 && wants('storyboard')) {
    if (!open('storyboard.panels')) {
      if (!action) {
        throw new ValidationError({ issues: [{ path: `scenes.${sceneId}.script.action`, message: 'A scene without storyboard panels needs action text to plan them.' }] })
      }
      const template = await ensureStoryboardTemplate(payload)
      const followUp: FollowUp = { steps: steps.filter((step) => step !== 'storyboard'), force, priority }
      specs.push({
        key: 'storyboard.panels',
        taskType: 'script_generation',
        parameters: {
          promptTemplateId: template.id,
          templateVersion: template._version ?? 1,
          inputs: { title: scene.title ?? '', location: scene.location ?? '', action },
          target: target('storyboard.panels'),
          production: followUp,
        },
        dependsOn: [],
      })
    }
    // The images, the video and the cut depend on the panels: the plan's landing plans them.
  } else {
    const aspectRatio = project.projectSettings?.aspectRatio ?? undefined
    const referenceMediaIds = cast.map((character) => relationId(character.visualDesign?.finalDesign)).filter((id): id is string => Boolean(id))
    panels.forEach((panel, index) => {
      const path = slotPath(target('storyboard.panels.image', index))
      if (!wants('images') || (!force && panel.image) || open(path)) return
      const prompt = [panel.description || action || scene.title || `Scene panel ${index + 1}`, panel.cameraAngle ? `Camera: ${panel.cameraAngle}.` : '']
        .filter(Boolean)
        .join(' ')
      specs.push({
        key: path,
        taskType: 'image_generation',
        parameters: {
          prompt,
          ...(aspectRatio ? { aspectRatio } : {}),
          ...(referenceMediaIds.length ? { referenceMediaIds } : {}),
          target: target('storyboard.panels.image', index),
        },
        dependsOn: [],
      })
    })
    const firstPanel = 'storyboard.panels.0.image'
    const firstImage = fillers.has(firstPanel) || specs.some((spec) => spec.key === firstPanel) ? firstPanel : undefined
    const upstreamVideo = specs.some((spec) => spec.key === firstPanel)
    if (wants('video') && (force || upstreamVideo || !scene.production?.videoSegment) && !open('production.videoSegment')) {
      const imageMediaId = firstImage ? { dependency: firstImage } : relationId(panels[0]?.image)
      specs.push({
        key: 'production.videoSegment',
        taskType: 'video_generation',
        parameters: {
          prompt: action || panels[0]?.description || scene.title || 'A scene',
          duration,
          ...(aspectRatio ? { aspectRatio } : {}),
          ...(imageMediaId ? { imageMediaId } : {}),
          target: target('production.videoSegment'),
        },
        dependsOn: firstImage ? [firstImage] : [],
      })
    }
  }
  const videoFrom = fillers.has('production.videoSegment') || specs.some((spec) => spec.key === 'production.videoSegment') ? 'production.videoSegment' : undefined
  const audioFrom = fillers.has('production.audioTrack') || specs.some((spec) => spec.key === 'production.audioTrack') ? 'production.audioTrack' : undefined
  const upstreamCut = specs.some((spec) => spec.key === 'production.videoSegment' || spec.key === 'production.audioTrack')
  if (wants('assembly') && (videoFrom || scene.production?.videoSegment)) {
    if ((force || upstreamCut || !scene.production?.sceneCut) && !open('production.sceneCut')) {
      const audioMediaId = audioFrom ? { dependency: audioFrom } : relationId(scene.production?.audioTrack)
      specs.push({
        key: 'production.sceneCut',
        taskType: 'scene_assembly',
        parameters: {
          kind: 'scene',
          videoMediaId: videoFrom ? { dependency: videoFrom } : relationId(scene.production?.videoSegment),
          ...(audioMediaId ? { audioMediaId } : {}),
          duration,
          target: target('production.sceneCut'),
        },
        dependsOn: [videoFrom, audioFrom].filter((key): key is string => Boolean(key)),
      })
    }
  }
  if (specs.length === 0) return { created: [], open: used }

  await startRound(payload, { sceneId, status: scene.production?.status ?? 'pending' })
  const created: Task[] = []
  const idOf = (key: string) => {
    const filler = fillers.get(key)
    return filler && 'fromTask' in filler ? filler.fromTask : undefined
  }
  for (const spec of specs) {
    const dependencies = spec.dependsOn.map((key) => idOf(key)!).filter(Boolean)
    const parameters = resolveDependencyMarkers(spec.parameters, idOf)
    const task = (await payload.create({
      collection: slugs.tasks,
      data: {
        taskType: spec.taskType,
        project: projectId,
        episode: relationId(scene.episode),
        scene: sceneId,
        priority,
        input: { parameters, ...(dependencies.length ? { dependencies } : {}) },
      } as never,
      depth: 0,
      ...(user ? { user, overrideAccess: false } : { overrideAccess: true }), // without a user: the system's own follow-up
    })) as Task
    fillers.set(spec.key, { fromTask: task.id })
    created.push(task)
  }
  return { created, open: used }
}

/** `{ dependency: <slot> }` markers become `{ fromTask: <id of the task filling that slot> }`. */
function resolveDependencyMarkers(parameters: Record<string, unknown>, idOf: (key: string) => string | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => {
      if (value && typeof value === 'object' && 'dependency' in value) {
        const id = idOf(String((value as { dependency: unknown }).dependency))
        return [name, id ? ({ fromTask: id } satisfies FromTask) : null]
      }
      return [name, value]
    }),
  )
}

/** A scene that gets work starts a round: pending (or failed, through pending) → generating, counting an attempt. */
async function startRound(payload: Payload, { sceneId, status }: { sceneId: string; status: SceneStatus }) {
  if (status === 'pending') await moveSceneStatus(payload, { sceneId, path: ['pending', 'generating'] })
  else if (status === 'failed') await moveSceneStatus(payload, { sceneId, path: ['failed', 'pending', 'generating'] })
}
