import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'

/** Small builders for the documents most tests need. Each returns the created document. */
export function fixtures(payload: Payload) {
  const unique = () => randomBytes(4).toString('hex')
  return {
    user: (data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'users',
        data: { email: `user-${unique()}@example.test`, password: 'Passw0rd!secret', name: 'Test User', ...data },
      }),
    project: (createdBy: string, data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'projects',
        data: { title: `Project ${unique()}`, episodeCount: 10, genre: 'drama', createdBy, ...data },
      }),
    episode: (project: string, episodeNumber: number, data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'episodes',
        data: { project, episodeNumber, title: `Episode ${episodeNumber}`, ...data },
      }),
    character: (project: string, data: Record<string, unknown> = {}) =>
      payload.create({ collection: 'characters', data: { project, name: `Character ${unique()}`, ...data } }),
    scene: (project: string, episode: string, sceneNumber: number, data: Record<string, unknown> = {}) =>
      payload.create({
        collection: 'scenes',
        data: { project, episode, sceneNumber, title: `Scene ${sceneNumber}`, ...data },
      }),
  }
}
