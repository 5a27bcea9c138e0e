import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-mongodb'

import type { DryRunArgs } from '../src/ops/migrations/runner'

import { convertProjectReferences } from '../src/ops/migrations/projectReferences'
import { formatReports } from '../src/ops/migrations/report'

const slugs = ['media', 'sessions'] as const

/** Phase 1: media.project and sessions.project from free text to ObjectId references. */
export async function up({ payload, session }: MigrateUpArgs) {
  for (const slug of slugs) {
    const report = await convertProjectReferences({ payload, slug, direction: 'toObjectId', session })
    payload.logger.info({ msg: formatReports([report], { dryRun: false }) })
  }
}

export async function down({ payload, session }: MigrateDownArgs) {
  for (const slug of slugs) {
    const report = await convertProjectReferences({ payload, slug, direction: 'toText', session })
    payload.logger.info({ msg: formatReports([report], { dryRun: false }) })
  }
}

/** `npm run migrate -- --dry-run`: what up or down would change. */
export async function dryRun({ payload, direction }: DryRunArgs) {
  const to = direction === 'up' ? 'toObjectId' : 'toText'
  return Promise.all(slugs.map((slug) => convertProjectReferences({ payload, slug, direction: to, dryRun: true })))
}
