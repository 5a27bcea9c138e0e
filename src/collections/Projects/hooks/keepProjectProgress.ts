import { keepDerivedFields } from '../../../hooks/keepDerivedFields'

/** progress.overallProgress and progress.completedSteps come from the episodes; currentPhase stays the caller's. */
export const keepProjectProgress = keepDerivedFields({
  fields: [
    { path: ['progress', 'overallProgress'], initial: () => 0 },
    { path: ['progress', 'completedSteps'], initial: () => [] },
  ],
})
