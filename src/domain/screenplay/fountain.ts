import { Fountain } from 'fountain-js'

import { cueOf } from './characterNames'
import { headingOf, looksLikeSceneHeading } from './headings'
import { createScreenplayBuilder } from './screenplayBuilder'
import { normalizeLineEnds, paragraphsOf } from './text'
import type { ExportScreenplay, Screenplay } from './types'

/**
 * Reads a Fountain screenplay (fountain-js tokenises it; the mapping to scenes is createScreenplayBuilder's).
 * fountain-js gives no line numbers, so each token is found again in the source, in order, for error messages.
 */
export function readFountain(source: string): Screenplay {
  const text = normalizeLineEnds(source)
  const { tokens } = new Fountain().parse(text, true)
  const lines = text.split('\n')
  let cursor = 0
  const lineOf = (tokenText: string | undefined): number => {
    const first = (tokenText ?? '').split('\n')[0].trim().slice(0, 40)
    if (!first) return cursor + 1
    for (let index = cursor; index < lines.length; index++) {
      if (lines[index].includes(first)) {
        cursor = index
        return index + 1
      }
    }
    return cursor + 1
  }

  const builder = createScreenplayBuilder()
  const titlePage: Record<string, string> = {}
  for (const token of tokens) {
    if (token.is_title) {
      titlePage[token.type] = (token.text ?? '').trim()
      continue
    }
    const line = lineOf(token.text)
    switch (token.type) {
      case 'scene_heading':
        builder.heading(token.text ?? '', line)
        break
      case 'action':
      case 'centered':
        if (unmarkedTransition.test(token.text ?? '')) builder.other()
        else builder.action(stripForcedAction(token.text ?? ''), line)
        break
      case 'character':
        builder.cue(token.text ?? '', line)
        break
      case 'parenthetical':
        builder.parenthetical(token.text ?? '', line)
        break
      case 'dialogue':
        builder.dialogue(token.text ?? '', line)
        break
      case 'dialogue_begin':
      case 'dialogue_end':
      case 'dual_dialogue_begin':
      case 'dual_dialogue_end':
        break
      default:
        // transitions, notes, sections, synopses, lyrics, page breaks
        builder.other()
    }
  }
  return builder.finish({ title: titlePage.title || null, logline: titlePage.notes || null })
}

/**
 * `FADE IN:`, `SMASH CUT:`: one line in capitals ending in a colon. Fountain's transition rule only takes lines
 * ending in `TO:`, so these read as action; they are transitions (an action paragraph like it is exported with `!`).
 */
const unmarkedTransition = /^[A-Z][A-Z .']*:$/

/** fountain-js keeps the `!` that forces an action paragraph. */
const stripForcedAction = (text: string) => text.replace(/^!/gm, '')

/**
 * Writes the episode as Fountain: a title page (Title, and Notes for the logline), then each scene's heading, its
 * action, and its lines (cue, parenthetical from the emotion, dialogue). Reading the result back gives the same
 * scenes (headings are forced with a dot when Fountain would not see them; action that would read as a cue is
 * forced with `!`).
 */
export function writeFountain(screenplay: ExportScreenplay): string {
  const out: string[] = []
  if (screenplay.title) out.push(`Title: ${oneLine(screenplay.title)}`)
  if (screenplay.logline) out.push(`Notes: ${oneLine(screenplay.logline)}`)
  if (out.length > 0) out.push('')
  screenplay.scenes.forEach((scene, index) => {
    const heading = headingOf(scene, index + 1)
    out.push(looksLikeSceneHeading(heading) ? heading : `.${heading}`, '')
    for (const paragraph of paragraphsOf(scene.action)) out.push(forceAction(paragraph), '')
    for (const line of scene.dialogue) {
      const spoken = paragraphsOf(line.lines).join('\n')
      if (!spoken) continue
      if (!line.character) {
        out.push(forceAction(spoken), '')
        continue
      }
      out.push(cueOf(line.character))
      if (line.emotion?.trim()) out.push(`(${oneLine(line.emotion)})`)
      out.push(spoken, '')
    }
  })
  return `${out.join('\n').trimEnd()}\n`
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * An action paragraph Fountain would read as something else (a cue: a line in capitals; a heading; a transition;
 * a parenthetical) is forced with `!` on its first line.
 */
function forceAction(paragraph: string): string {
  const first = paragraph.split('\n')[0]
  const ambiguous =
    /^[^a-z]*\p{Lu}[^a-z]*$/u.test(first) ||
    looksLikeSceneHeading(first) ||
    /^[.>=#~@[(]/.test(first) ||
    /TO:\s*$/.test(first)
  return ambiguous ? `!${paragraph}` : paragraph
}
