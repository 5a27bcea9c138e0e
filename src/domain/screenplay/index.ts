import { readFdx, writeFdx } from './fdx'
import { readFountain, writeFountain } from './fountain'
import { characterKey } from './characterNames'
import type { ExportScreenplay, Screenplay, ScreenplayFormat } from './types'

export { characterKey, displayName } from './characterNames'
export { decodeUtf8, normalizeLineEnds } from './text'
export * from './types'

/** Reads a screenplay in either format into scenes (400 TextInputError with the line when it cannot). */
export function readScreenplay(format: ScreenplayFormat, text: string): Screenplay {
  return format === 'fdx' ? readFdx(text) : readFountain(text)
}

export function writeScreenplay(format: ScreenplayFormat, screenplay: ExportScreenplay): string {
  return format === 'fdx' ? writeFdx(screenplay) : writeFountain(screenplay)
}

/** The names that speak in a screenplay, each once (first spelling kept), matched case-insensitively. */
export function speakers(screenplay: Screenplay): string[] {
  const seen = new Map<string, string>()
  for (const scene of screenplay.scenes) {
    for (const line of scene.dialogue) {
      const key = characterKey(line.character)
      if (!seen.has(key)) seen.set(key, line.character)
    }
  }
  return [...seen.values()]
}
