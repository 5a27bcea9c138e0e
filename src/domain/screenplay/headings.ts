import type { ExportScene, TimeOfDay } from './types'

const timeOfDayWords: Record<string, TimeOfDay> = { DAY: 'day', NIGHT: 'night', DAWN: 'dawn', DUSK: 'dusk' }

/** `INT.`, `EXT.`, `INT./EXT.`, `I/E`, `EST.`: a heading Fountain recognises without the forcing dot. */
const sceneHeadingStart = /^(?:(?:int|i)\.?\/(?:ext|e)|int|ext|est)[. ]/i

/**
 * A scene heading as the app stores it: the heading as written (scene numbers `#12#` and the forcing dot dropped),
 * the location (INT./EXT. and the place: the parts before the time of day) and the time of day: the first part after
 * a ` - ` that is DAY, NIGHT, DAWN or DUSK. Parts after it ("CONTINUOUS", "LATER") stay in the heading only, which
 * the scene keeps as its title; with no time of day the whole heading is the location.
 */
export function readHeading(raw: string): { heading: string; location: string; timeOfDay: TimeOfDay | null } {
  const heading = raw
    .replace(/#[^#]*#\s*$/, '')
    .replace(/^\s*\.(?!\.)/, '')
    .replace(/\s+/g, ' ')
    .trim()
  const parts = heading.split(/\s+[-–—]\s+/)
  const at = parts.findIndex((part, index) => index > 0 && part.toUpperCase() in timeOfDayWords)
  if (at < 0) return { heading, location: heading, timeOfDay: null }
  return { heading, location: parts.slice(0, at).join(' - '), timeOfDay: timeOfDayWords[parts[at].toUpperCase()] }
}

/**
 * The heading an exported scene gets: its title when that is a heading of the scene's own location and time of day
 * (so "… - NIGHT - CONTINUOUS" survives), otherwise location and time of day (a shot-list edit of either wins),
 * else the title, else a numbered placeholder.
 */
export function headingOf(scene: ExportScene, sceneNumber: number): string {
  const title = scene.title?.trim()
  const location = scene.location?.trim()
  if (title && location) {
    const read = readHeading(title)
    if (read.location === location && read.timeOfDay === (scene.timeOfDay ?? null)) return read.heading
  }
  const place = location || title || `SCENE ${sceneNumber}`
  return scene.timeOfDay ? `${place} - ${scene.timeOfDay.toUpperCase()}` : place
}

/** Whether Fountain reads the line as a scene heading by itself (otherwise the exporter forces it with a dot). */
export const looksLikeSceneHeading = (heading: string) => sceneHeadingStart.test(heading)
