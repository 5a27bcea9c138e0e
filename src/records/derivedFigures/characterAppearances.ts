import type { PayloadRequest } from 'payload'

import { slugs } from '../../model/slugs'
import { cacheTags, getCache } from '../../lib/cache'
import type { Character, Scene } from '../../payload-types'
import { relationId, relationIds } from '../../model/references'
import { durationFromDialogue } from '../../domain/scriptMetrics'
import { converge, outsideTransaction, sameJson } from './converge'

// Character appearances: per episode, the scenes that cast the character or give it a line, and their screen time

export type Appearance = { episodeId: string; sceneIds: string[]; screenTime: number }

/** Screen time of a scene: its duration, or its dialogue timings when it has none. */
function sceneScreenTime(scene: Pick<Scene, 'script'>): number {
  return scene.script?.duration ?? durationFromDialogue(scene.script?.dialogue) ?? 0
}

export function appearancesFromScenes(scenes: Pick<Scene, 'id' | 'episode' | 'sceneNumber' | 'script'>[]): Appearance[] {
  const byEpisode = new Map<string, { scenes: typeof scenes }>()
  for (const scene of scenes) {
    const episodeId = relationId(scene.episode)
    if (!episodeId) continue
    const entry = byEpisode.get(episodeId) ?? { scenes: [] }
    entry.scenes.push(scene)
    byEpisode.set(episodeId, entry)
  }
  return [...byEpisode.entries()]
    .map(([episodeId, entry]) => {
      const sorted = [...entry.scenes].sort((a, b) => (a.sceneNumber ?? 0) - (b.sceneNumber ?? 0))
      return {
        episodeId,
        sceneIds: sorted.map((scene) => String(scene.id)),
        screenTime: sorted.reduce((sum, scene) => sum + sceneScreenTime(scene), 0),
      }
    })
    .sort((a, b) => a.episodeId.localeCompare(b.episodeId))
}

export async function recomputeCharacterAppearances({
  req: incoming,
  characterId,
}: {
  req: PayloadRequest
  characterId: string
}) {
  const req = outsideTransaction(incoming)
  const { payload } = req
  const readCharacter = () =>
    payload.findByID({
      collection: slugs.characters,
      id: characterId,
      select: { project: true, appearances: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true, // a system read of the system's own figure
      req,
    }) as Promise<Pick<Character, 'project' | 'appearances'> | null>
  let storedRows: NonNullable<Character['appearances']> = []
  const changed = await converge({
    req,
    collection: slugs.characters,
    id: characterId,
    compute: async () => {
      const character = await readCharacter()
      const projectId = relationId(character?.project)
      if (!projectId) return undefined
      // Indexed: scenes.characters and scenes.script.dialogue.character.
      const { docs } = await payload.find({
        collection: slugs.scenes,
        where: {
          and: [
            { project: { equals: projectId } },
            { or: [{ characters: { equals: characterId } }, { 'script.dialogue.character': { equals: characterId } }] },
          ],
        },
        select: { episode: true, sceneNumber: true, script: { duration: true, dialogue: true } },
        depth: 0,
        pagination: false,
        // The casting breakdown covers every scene, not the ones the caller may see.
        overrideAccess: true,
        req,
      })
      return appearancesFromScenes(docs as Scene[])
    },
    read: async () => {
      const character = await readCharacter()
      if (!character) return undefined
      storedRows = character.appearances ?? []
      return storedRows.map((row) => ({
        episodeId: relationId(row.episodeId) ?? '',
        sceneIds: relationIds(row.sceneIds),
        screenTime: row.screenTime ?? 0,
      }))
    },
    write: async (appearances) => {
      // Keep the row ids of episodes already listed, so the admin keeps its rows.
      const rowIdByEpisode = new Map(storedRows.map((row) => [relationId(row.episodeId), row.id]))
      await payload.db.updateOne({
        collection: slugs.characters,
        id: characterId,
        data: {
          appearances: appearances.map((appearance) => ({
            id: rowIdByEpisode.get(appearance.episodeId) ?? newRowId(),
            ...appearance,
          })),
        },
        req,
        returning: false,
      })
    },
    equal: sameJson,
  })
  if (changed) await getCache().invalidate({ tags: [cacheTags.character(characterId)] })
}

function newRowId(): string {
  // Payload's array row ids on MongoDB are 24-hex ObjectId strings.
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
