import type { ClientSession } from 'mongoose'
import type { Payload } from 'payload'

import { episodeStatuses } from '../../collections/options'

/** Marks the episodes this migration created, so `down` removes exactly those. */
export const MIGRATION_MARK = 'phase2:projects.episodes'

type LegacyEpisode = {
  episodeNumber?: unknown
  title?: unknown
  description?: unknown
  status?: unknown
  synopsis?: unknown
  script?: unknown
}

/**
 * Phase 2 of the data design's migration: episodes used to live in an `episodes` array on their project. Creates
 * one Episodes document per entry (the unique project + episodeNumber index makes a re-run skip what exists), then
 * renames the array to `legacyEpisodes` instead of deleting it, so the original data stays recoverable.
 */
export async function moveEpisodesOutOfProjects({
  payload,
  session,
}: {
  payload: Payload
  session?: ClientSession
}): Promise<{ projects: number; created: number; skipped: number }> {
  const projects = payload.db.collections.projects.collection
  const episodes = payload.db.collections.episodes.collection
  const filter = { episodes: { $exists: true } }
  const total = await projects.countDocuments(filter, { session })
  payload.logger.info({ msg: `[migrate] projects.episodes → episodes: ${total} project(s) to migrate` })

  let done = 0
  let created = 0
  let skipped = 0
  for await (const project of projects.find(filter, { projection: { episodes: 1, episodeCount: 1 }, session })) {
    const legacy: LegacyEpisode[] = Array.isArray(project.episodes) ? project.episodes : []
    const now = new Date()
    let highest = 0
    for (const [index, entry] of legacy.entries()) {
      const episodeNumber = Number.isInteger(entry?.episodeNumber) && Number(entry.episodeNumber) > 0 ? Number(entry.episodeNumber) : index + 1
      highest = Math.max(highest, episodeNumber)
      const status = episodeStatuses.includes(entry?.status as never) ? entry.status : 'planning'
      try {
        await episodes.insertOne(
          {
            project: project._id,
            episodeNumber,
            title: typeof entry?.title === 'string' && entry.title ? entry.title : `Episode ${episodeNumber}`,
            ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
            status,
            synopsis: typeof entry?.synopsis === 'object' && entry.synopsis ? entry.synopsis : {},
            script: typeof entry?.script === 'object' && entry.script ? entry.script : { version: 1 },
            metadata: {},
            production: { sceneCount: 0, completedScenes: 0, renderProgress: 0 },
            migratedBy: MIGRATION_MARK,
            createdAt: now,
            updatedAt: now,
          },
          { session },
        )
        created += 1
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err
        skipped += 1 // already there (a re-run, or created by hand since): the unique index keeps one
      }
    }
    await projects.updateOne(
      { _id: project._id },
      {
        $rename: { episodes: 'legacyEpisodes' },
        $set: { episodeCount: Math.min(50, Math.max(Number(project.episodeCount) || 1, highest)) },
      },
      { session },
    )
    done += 1
    if (done % 100 === 0 || done === total) {
      payload.logger.info({ msg: `[migrate] projects.episodes → episodes: ${done}/${total} projects, ${created} created, ${skipped} already present` })
    }
  }
  return { projects: done, created, skipped }
}

/** Reverses moveEpisodesOutOfProjects: restores the arrays and removes only the episodes it created. */
export async function restoreEpisodesIntoProjects({ payload, session }: { payload: Payload; session?: ClientSession }) {
  const projects = payload.db.collections.projects.collection
  await projects.updateMany({ legacyEpisodes: { $exists: true } }, { $rename: { legacyEpisodes: 'episodes' } }, { session })
  const removed = await payload.db.collections.episodes.collection.deleteMany({ migratedBy: MIGRATION_MARK }, { session })
  payload.logger.info({ msg: `[migrate] restored projects.episodes, removed ${removed.deletedCount} migrated episode(s)` })
}
