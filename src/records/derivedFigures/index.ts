/**
 * Derived figures, one module per figure (episode production, project progress, character appearances), the
 * converge loop they share, and their scheduling after the request's commit.
 */
export { recomputeCharacterAppearances } from './characterAppearances'
export { isDerivedFiguresSkipped } from './converge'
export { recomputeEpisodeProduction } from './episodeProduction'
export { recomputeProjectProgress } from './projectProgress'
export { scheduleCharacterAppearances, scheduleEpisodeProduction, scheduleProjectProgress } from './schedule'
