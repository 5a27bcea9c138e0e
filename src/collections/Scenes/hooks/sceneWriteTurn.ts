import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'

import { takeWriteTurn, type Turn } from '../../../db/documentTurns'
import { getIn, setIn } from '../../../model/references'
import type { Scene } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/** The paths the production engine writes (src/records/production): a caller's save that leaves them alone keeps the engine's value. */
const engineSlots = [
  ['production', 'videoSegment'],
  ['production', 'audioTrack'],
  ['production', 'sceneCut'],
] as const

const turnsOf = (req: PayloadRequest): Map<string, Turn> => {
  const context = req.context as { sceneWriteTurns?: Map<string, Turn> }
  return (context.sceneWriteTurns ??= new Map())
}

/**
 * A caller's update of a scene takes the scene's write turn (src/db/documentTurns.ts; FerretDB only), the same turn
 * the production engine's writes take, so on FerretDB — where an update rewrites the whole stored document without
 * isolation — a producer's save and a result landing never interleave and lose each other. Inside the turn the
 * engine's slots are re-read: Payload writes the whole document from the copy it read before the turn, so a slot
 * the caller did not change takes the stored value (a result that landed meanwhile is not undone). The last
 * beforeChange hook; the turn is given back by releaseSceneWriteTurn (afterChange), or taken over when it expires.
 */
export const takeSceneWriteTurn: CollectionBeforeChangeHook<Scene> = async ({ data, originalDoc, operation, req }) => {
  if (operation !== 'update' || !originalDoc?.id) return data
  const id = String(originalDoc.id)
  const turns = turnsOf(req)
  if (!turns.has(id)) turns.set(id, await takeWriteTurn(req.payload.db.connection.db!, `${slugs.scenes}:${id}`))
  // Through the adapter's model, which casts the id to the stored ObjectId (a raw find by the string id matches nothing).
  const stored = (await req.payload.db.collections[slugs.scenes].findOne({ _id: id }, { production: 1, storyboard: 1 }).lean()) as Record<string, unknown> & {
    storyboard?: { panels?: { id?: string; image?: unknown }[] }
  } | null
  if (!stored) return data
  const idText = (value: unknown) => (value === null || value === undefined ? null : typeof value === 'object' && 'toHexString' in value ? String((value as { toHexString(): string }).toHexString()) : typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : String(value))
  const unchanged = (path: readonly string[]) => {
    const incoming = getIn(data, path)
    return incoming === undefined || idText(incoming) === idText(getIn(originalDoc, path))
  }
  for (const path of engineSlots) {
    const fresh = idText(getIn(stored, path))
    if (unchanged(path) && fresh !== idText(getIn(originalDoc, path))) setIn(data as Record<string, unknown>, path, fresh)
  }
  // Panel images, matched by the panel's id (the caller may have re-ordered, added or removed panels).
  const storedImages = new Map((stored.storyboard?.panels ?? []).map((panel) => [String(panel.id), idText(panel.image)]))
  const originalImages = new Map((originalDoc.storyboard?.panels ?? []).map((panel) => [String(panel.id), idText(panel.image)]))
  for (const panel of data.storyboard?.panels ?? []) {
    const key = String(panel.id)
    if (!storedImages.has(key)) continue
    const incoming = panel.image === undefined ? originalImages.get(key) : idText(panel.image)
    if (incoming === originalImages.get(key) && storedImages.get(key) !== incoming) panel.image = storedImages.get(key) as never
  }
  return data
}

export const releaseSceneWriteTurn: CollectionAfterChangeHook<Scene> = async ({ doc, operation, req }) => {
  if (operation !== 'update') return doc
  const turns = turnsOf(req)
  const turn = turns.get(String(doc.id))
  if (turn) {
    turns.delete(String(doc.id))
    await turn.release()
  }
  return doc
}
