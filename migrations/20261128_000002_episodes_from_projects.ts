import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-mongodb'

import type { DryRunArgs } from '../src/ops/migrations/runner'

import { moveEpisodesOutOfProjects, restoreEpisodesIntoProjects } from '../src/ops/migrations/episodesFromProjects'
import { formatReports } from '../src/ops/migrations/report'

/** Phase 2: episode data moves from the projects' embedded arrays into the Episodes collection. */
export async function up({ payload, session }: MigrateUpArgs) {
  payload.logger.info({ msg: formatReports([await moveEpisodesOutOfProjects({ payload, session })], { dryRun: false }) })
}

export async function down({ payload, session }: MigrateDownArgs) {
  payload.logger.info({ msg: formatReports([await restoreEpisodesIntoProjects({ payload, session })], { dryRun: false }) })
}

/** `npm run migrate -- --dry-run`: what up or down would change. */
export async function dryRun({ payload, direction }: DryRunArgs) {
  const step = direction === 'up' ? moveEpisodesOutOfProjects : restoreEpisodesIntoProjects
  return [await step({ payload, dryRun: true })]
}
