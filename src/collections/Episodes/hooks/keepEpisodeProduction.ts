import { keepDerivedFields } from '../../../hooks/keepDerivedFields'

/** production.* is counted from the episode's scenes (src/records/derivedFigures/index.ts). */
export const keepEpisodeProduction = keepDerivedFields({
  fields: [
    { path: ['production', 'sceneCount'], initial: () => 0 },
    { path: ['production', 'completedScenes'], initial: () => 0 },
    { path: ['production', 'renderProgress'], initial: () => 0 },
  ],
})
