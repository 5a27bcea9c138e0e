import { TextInputError } from '../../errors'
import { cueName } from './characterNames'
import { readHeading } from './headings'
import type { Screenplay, ScreenplayScene } from './types'

/**
 * Folds the paragraphs of a screenplay, in reading order, into scenes: both readers (Fountain, Final Draft) feed it
 * the same events, so one file in either format gives the same scenes. Each parenthetical becomes the `emotion` of
 * the line that follows it; consecutive dialogue paragraphs of one cue with no parenthetical between them are one
 * line. Refuses (400 with the line) a dialogue line with no character cue and anything but a transition, note or
 * title before the first scene heading.
 */
export function createScreenplayBuilder() {
  const scenes: ScreenplayScene[] = []
  let cue: string | null = null
  let pendingEmotion: string | null = null
  let lastWasDialogue = false

  const current = (line: number, what: string): ScreenplayScene => {
    const scene = scenes.at(-1)
    if (!scene) throw new TextInputError({ line, expected: `a scene heading (INT./EXT. …) before this ${what}` })
    return scene
  }
  const endDialogue = () => {
    cue = null
    pendingEmotion = null
    lastWasDialogue = false
  }

  return {
    heading(text: string, line: number) {
      endDialogue()
      const { heading, location, timeOfDay } = readHeading(text)
      scenes.push({ line, heading, location, timeOfDay, action: '', dialogue: [] })
    },
    action(text: string, line: number) {
      endDialogue()
      const paragraph = text.trim()
      if (!paragraph) return
      const scene = current(line, 'action')
      scene.action = scene.action ? `${scene.action}\n\n${paragraph}` : paragraph
    },
    cue(text: string, line: number) {
      current(line, 'character cue')
      endDialogue()
      const name = cueName(text)
      if (!name) throw new TextInputError({ line, expected: 'a character name in the cue' })
      cue = name
    },
    parenthetical(text: string, line: number) {
      if (!cue) throw new TextInputError({ line, expected: 'a character cue before this parenthetical' })
      pendingEmotion = text.trim().replace(/^\(\s*/, '').replace(/\s*\)$/, '') || null
      lastWasDialogue = false
    },
    dialogue(text: string, line: number) {
      if (!cue) throw new TextInputError({ line, expected: 'a character cue before this dialogue line' })
      const lines = text.trim()
      if (!lines) return
      const scene = current(line, 'dialogue line')
      const previous = scene.dialogue.at(-1)
      if (lastWasDialogue && previous && pendingEmotion === null) previous.lines = `${previous.lines}\n${lines}`
      else scene.dialogue.push({ character: cue, lines, emotion: pendingEmotion })
      pendingEmotion = null
      lastWasDialogue = true
    },
    /** A transition, note, page break: ends a dialogue block, stored nowhere but the episode's script text. */
    other() {
      endDialogue()
    },
    finish({ title, logline }: { title: string | null; logline: string | null }): Screenplay {
      if (scenes.length === 0) throw new TextInputError({ line: 1, expected: 'at least one scene heading (INT./EXT. …)' })
      return { title, logline, scenes }
    },
  }
}
