/**
 * The character a cue names: extensions in parentheses (`(V.O.)`, `(O.S.)`, `(CONT'D)`), the dual-dialogue caret
 * and the forcing `@` dropped, spaces collapsed. `MARA (V.O.)` and `Mara (CONT'D)` name the same character.
 */
export function cueName(cue: string): string {
  return cue
    .replace(/^\s*@/, '')
    .replace(/\^\s*$/, '')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The key characters are matched by: case-insensitive. */
export const characterKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * The name a new character gets from its cue: cues are written in capitals, names are not (`DR. MARA OKAFOR` →
 * `Dr. Mara Okafor`); a cue already in mixed case is kept as written.
 */
export function displayName(cue: string): string {
  if (cue !== cue.toUpperCase()) return cue
  return cue.toLowerCase().replace(/(^|[\s\-'.])(\p{L})/gu, (_match, before: string, letter: string) => before + letter.toUpperCase())
}

/** The cue an exported line gets: the name in capitals (`@` forces a cue that has no letter). */
export function cueOf(name: string): string {
  const cue = name.toUpperCase()
  return /\p{L}/u.test(cue) ? cue : `@${cue}`
}
