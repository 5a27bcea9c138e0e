import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-mongodb'

import type { DryRunArgs } from '../src/ops/migrations/runner'

import { backfillGlobalUniques, dropGlobalUniques } from '../src/db/globalUniques'
import { swapIndex, type IndexSwap } from '../src/ops/migrations/indexSwap'
import { formatReports } from '../src/ops/migrations/report'

/**
 * Shard readiness: on a sharded collection MongoDB keeps a unique index only when it starts with the shard key
 * (`npm run db:shard-plan`, docs/OPERATIONS.md). Scenes' numbers stay unique per episode, now under the project.
 * Media filenames stay unique across projects (they name the stored file), kept by claims in `unique-claims`
 * (src/db/globalUniques.ts) instead of a unique index, so media's filename index becomes a plain one.
 */
const swaps: IndexSwap[] = [
  {
    collection: 'scenes',
    from: { key: { episode: 1, sceneNumber: 1 }, unique: true },
    to: { key: { project: 1, episode: 1, sceneNumber: 1 }, unique: true },
  },
  { collection: 'media', from: { key: { filename: 1 }, unique: true }, to: { key: { filename: 1 }, unique: false } },
]
const reversed = (swap: IndexSwap): IndexSwap => ({ collection: swap.collection, from: swap.to, to: swap.from })

export async function up({ payload, session }: MigrateUpArgs) {
  // The claims first: media filenames are never without a guard.
  const claimed = await backfillGlobalUniques(payload.db, 'media')
  payload.logger.info({ msg: `media filename claims: ${claimed} written` })
  for (const swap of swaps) {
    payload.logger.info({ msg: formatReports([await swapIndex({ payload, swap, session })], { dryRun: false }) })
  }
}

export async function down({ payload, session }: MigrateDownArgs) {
  for (const swap of [...swaps].reverse()) {
    payload.logger.info({ msg: formatReports([await swapIndex({ payload, swap: reversed(swap), session })], { dryRun: false }) })
  }
  payload.logger.info({ msg: `media filename claims: ${await dropGlobalUniques(payload.db, 'media')} dropped` })
}

/** `npm run migrate -- --dry-run`: which indexes up or down would build and drop, and what would stop it. */
export async function dryRun({ payload, direction }: DryRunArgs) {
  const planned = direction === 'up' ? swaps : [...swaps].reverse().map(reversed)
  const reports = []
  for (const swap of planned) reports.push(await swapIndex({ payload, swap, dryRun: true }))
  return reports
}
