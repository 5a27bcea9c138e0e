import type { timesOfDay } from '../../model/options'

export type TimeOfDay = (typeof timesOfDay)[number]

/** One spoken line of a scene: who speaks (the name as the screenplay gives it, extensions stripped), what, and how. */
export type ScreenplayLine = { character: string; lines: string; emotion: string | null }

/** One scene of a screenplay, as the app stores scenes: heading, location, time of day, action and dialogue. */
export type ScreenplayScene = {
  /** The line of the source where the scene heading stands (1-based), for error messages. */
  line: number
  heading: string
  location: string
  timeOfDay: TimeOfDay | null
  action: string
  dialogue: ScreenplayLine[]
}

/** A screenplay read from Fountain or Final Draft, reduced to what the app keeps. */
export type Screenplay = {
  title: string | null
  logline: string | null
  scenes: ScreenplayScene[]
}

export const screenplayFormats = ['fountain', 'fdx'] as const
export type ScreenplayFormat = (typeof screenplayFormats)[number]

/** A scene as the exporters need it (what the app stores), the speaker already resolved to a name. */
export type ExportScene = {
  title?: string | null
  location?: string | null
  timeOfDay?: TimeOfDay | null
  action?: string | null
  dialogue: { character: string | null; lines: string; emotion?: string | null }[]
}

export type ExportScreenplay = { title: string | null; logline: string | null; scenes: ExportScene[] }
