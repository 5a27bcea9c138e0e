import type { episodeStatuses, projectPhases, sceneProductionStatuses } from '../model/options'

type EpisodeStatus = (typeof episodeStatuses)[number]
type SceneStatus = (typeof sceneProductionStatuses)[number]
type ProjectPhase = (typeof projectPhases)[number]

/** A scene counts as completed once approved, and as rendered once its video exists (reviewing or approved). */
export const completedSceneStatuses: readonly SceneStatus[] = ['approved']
export const renderedSceneStatuses: readonly SceneStatus[] = ['reviewing', 'approved']

export type EpisodeProduction = { sceneCount: number; completedScenes: number; renderProgress: number }

export function episodeProduction({
  sceneCount,
  completedScenes,
  renderedScenes,
}: {
  sceneCount: number
  completedScenes: number
  renderedScenes: number
}): EpisodeProduction {
  return {
    sceneCount,
    completedScenes,
    renderProgress: sceneCount === 0 ? 0 : Math.round((100 * renderedScenes) / sceneCount),
  }
}

/**
 * How far one episode is, 0–100, by status. During production the share of rendered scenes moves the episode from
 * 30 to 80.
 */
export const episodeStatusProgress: Record<EpisodeStatus, number> = {
  planning: 0,
  scripting: 15,
  storyboarding: 30,
  production: 30,
  editing: 85,
  completed: 100,
}
export const PRODUCTION_RENDER_SHARE = 50

export function episodeProgress({ status, renderProgress }: { status: EpisodeStatus; renderProgress: number }): number {
  const base = episodeStatusProgress[status] ?? 0
  return status === 'production' ? base + (PRODUCTION_RENDER_SHARE * renderProgress) / 100 : base
}

/** The project phases an episode has finished, by its status. A project completes a phase when every planned episode has. */
export const phasesDoneByEpisodeStatus: Record<EpisodeStatus, readonly ProjectPhase[]> = {
  planning: [],
  scripting: [],
  storyboarding: ['story_development'],
  production: ['story_development'],
  editing: ['story_development', 'scene_production'],
  completed: ['story_development', 'scene_production', 'post_production'],
}

export type ProjectProgress = { overallProgress: number; completedSteps: ProjectPhase[] }

/**
 * A project's progress from its episodes: the mean episode progress over the planned episodes (episodeCount; an
 * episode not created yet counts as 0), and the phases every planned episode has finished.
 */
export function projectProgress({
  episodeCount,
  episodes,
}: {
  episodeCount: number
  episodes: { status: EpisodeStatus; renderProgress: number }[]
}): ProjectProgress {
  const planned = Math.max(episodeCount, episodes.length)
  if (planned === 0) return { overallProgress: 0, completedSteps: [] }
  const total = episodes.reduce((sum, episode) => sum + episodeProgress(episode), 0)
  const allPlannedExist = episodes.length >= planned
  const completedSteps = allPlannedExist
    ? (Object.values(phasesDoneByEpisodeStatus).reduce<ProjectPhase[]>(
        (phases, list) => [...phases, ...list.filter((p) => !phases.includes(p))],
        [],
      ).filter((phase) => episodes.every((episode) => phasesDoneByEpisodeStatus[episode.status].includes(phase))))
    : []
  return { overallProgress: Math.round(total / planned), completedSteps }
}
