import type { PayloadRequest } from 'payload'

import { runAfterCommit } from '../../db/afterCommit'
import { recomputeCharacterAppearances } from './characterAppearances'
import { recomputeEpisodeProduction } from './episodeProduction'
import { recomputeProjectProgress } from './projectProgress'

// Scheduling from hooks: after the request's commit, once per document per transaction

export function scheduleEpisodeProduction({ req, episodeId, projectId }: { req: PayloadRequest; episodeId: string; projectId: string }) {
  return runAfterCommit({ req, key: `episode-production:${episodeId}`, task: () => recomputeEpisodeProduction({ req, episodeId, projectId }) })
}

export function scheduleProjectProgress({ req, projectId }: { req: PayloadRequest; projectId: string }) {
  return runAfterCommit({ req, key: `project-progress:${projectId}`, task: () => recomputeProjectProgress({ req, projectId }) })
}

export function scheduleCharacterAppearances({ req, characterId }: { req: PayloadRequest; characterId: string }) {
  return runAfterCommit({
    req,
    key: `character-appearances:${characterId}`,
    task: () => recomputeCharacterAppearances({ req, characterId }),
  })
}
