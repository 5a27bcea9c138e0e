import type { PayloadRequest } from 'payload'

import { slugs } from '../../model/slugs'

/** An episode's number is within its project's episodeCount. */
export async function withinEpisodeCount({ value, projectId, req }: { value: number; projectId: string; req: PayloadRequest }) {
  const project = await req.payload.findByID({
    collection: slugs.projects,
    id: projectId,
    select: { episodeCount: true },
    depth: 0,
    disableErrors: true,
    overrideAccess: true, // the limit applies whatever the caller may read
    req,
  })
  if (project && value > (project.episodeCount ?? 0)) {
    return `Episode number ${value} exceeds the project's episode count (${project.episodeCount}).`
  }
  return true as const
}
