import { createHash } from 'node:crypto'

/**
 * AI_PROVIDER=local: every generation runs on this machine, offline, and makes real, small, deterministic media
 * (docs/QUEUE.md "The local provider"). `npm run dev` sets it when no provider key is configured; a production
 * server or `npm run worker` uses it only when AI_PROVIDER=local is set explicitly.
 */
export const usesLocalProvider = () => process.env.AI_PROVIDER === 'local'

/** What local media record as their generator (generationMetadata.provider / modelVersion). */
export const LOCAL_PROVIDER = 'custom' as const
export const localModel = (kind: 'image' | 'video' | 'speech' | 'music' | 'chat' | 'embedding') => `local/${kind}`

export type AspectRatio = '16:9' | '4:3' | '21:9'
export const aspectRatios: readonly AspectRatio[] = ['16:9', '4:3', '21:9']

/** Small frames with even sides (H.264 needs them), per aspect ratio. */
export const frameSize: Record<AspectRatio, { width: number; height: number }> = {
  '16:9': { width: 640, height: 360 },
  '4:3': { width: 480, height: 360 },
  '21:9': { width: 840, height: 360 },
}

/** A stable number in [0, 1) from text: the same text always gives the same colour, pitch or vector. */
export function unitHash(text: string, salt = ''): number {
  return createHash('sha256').update(`${salt}\u0000${text}`).digest().readUInt32BE(0) / 2 ** 32
}

/** The sentences of a text ("One. Two!" → ["One.", "Two!"]), blank ones dropped. */
export function sentencesOf(text: string): string[] {
  return (text.replace(/\s+/g, ' ').match(/[^.!?]+(?:[.!?]+["')\]]*|$)/g) ?? []).map((sentence) => sentence.trim()).filter(Boolean)
}
