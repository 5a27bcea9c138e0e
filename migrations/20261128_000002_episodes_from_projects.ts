import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-mongodb'

import { moveEpisodesOutOfProjects, restoreEpisodesIntoProjects } from '../src/db/migrations/episodesFromProjects'

/** Phase 2: episode data moves from the projects' embedded arrays into the Episodes collection. */
export async function up({ payload, session }: MigrateUpArgs): Promise<void> {
  await moveEpisodesOutOfProjects({ payload, session })
}

export async function down({ payload, session }: MigrateDownArgs): Promise<void> {
  await restoreEpisodesIntoProjects({ payload, session })
}
