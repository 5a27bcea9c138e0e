import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-mongodb'

import { convertProjectReferences } from '../src/db/migrations/projectReferences'

/** Phase 1: media.project and sessions.project from free text to ObjectId references. */
export async function up({ payload, session }: MigrateUpArgs): Promise<void> {
  for (const slug of ['media', 'sessions'] as const) {
    await convertProjectReferences({ payload, slug, direction: 'toObjectId', session })
  }
}

export async function down({ payload, session }: MigrateDownArgs): Promise<void> {
  for (const slug of ['media', 'sessions'] as const) {
    await convertProjectReferences({ payload, slug, direction: 'toText', session })
  }
}
