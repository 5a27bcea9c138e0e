import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'

import { IMPORT_STATUS_CONTEXT } from '../../src/access/mayChooseCreationStatus'

/** Fixtures seed as server code with import rights: a test may start a document in a late status (docs/DOMAIN.md). */
export const seeding = { [IMPORT_STATUS_CONTEXT]: true }

/**
 * Small builders for the documents most tests need. Each returns the created document. Data is cast because the
 * generated create types require fields that have defaults (status, role, …).
 */
export function fixtures(payload: Payload) {
  const unique = () => randomBytes(4).toString('hex')
  return {
    user: (data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'users',
        data: { email: `user-${unique()}@example.test`, password: 'Passw0rd!secret', name: 'Test User', ...data } as never,
      }),
    project: (createdBy: string, data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'projects',
        data: { title: `Project ${unique()}`, episodeCount: 10, genre: 'drama', createdBy, ...data } as never,
        context: seeding,
      }),
    episode: (project: string, episodeNumber: number, data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'episodes',
        data: { project, episodeNumber, title: `Episode ${episodeNumber}`, ...data } as never,
        context: seeding,
      }),
    character: (project: string, data: Record<string, unknown> = {}) =>
      payload.create({ collection: 'characters', data: { project, name: `Character ${unique()}`, ...data } as never }),
    scene: (project: string, episode: string, sceneNumber: number, data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'scenes',
        data: { project, episode, sceneNumber, title: `Scene ${sceneNumber}`, ...data } as never,
        context: seeding,
      }),
  }
}
