import type { PayloadRequest } from 'payload'

import { slugs } from '../collections/slugs'

/** Where numbers are kept: episodes numbered within their project, scenes within their episode. */
const numbered = {
  episodes: { collection: slugs.episodes, parent: 'project', number: 'episodeNumber' },
  scenes: { collection: slugs.scenes, parent: 'episode', number: 'sceneNumber' },
} as const

/** The highest number used under a parent (0 when it has no children): one indexed query, sorted, limit 1. */
export async function highestNumber({
  req,
  kind,
  parentId,
}: {
  req: PayloadRequest
  kind: keyof typeof numbered
  parentId: string
}): Promise<number> {
  const { collection, parent, number } = numbered[kind]
  const { docs } = await req.payload.find({
    collection,
    where: { [parent]: { equals: parentId } },
    sort: `-${number}`,
    limit: 1,
    select: { [number]: true },
    depth: 0,
    pagination: false,
    overrideAccess: true, // numbering counts every child of the parent, whatever the caller may read
    req,
  })
  return Number((docs[0] as unknown as Record<string, unknown> | undefined)?.[number] ?? 0)
}
