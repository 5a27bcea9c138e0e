/** Speaking pace used to turn a script's words into screen time: about one screenplay page (150 words) a minute. */
export const WORDS_PER_MINUTE = 150

export function countWords(text: string | null | undefined): number {
  if (!text) return 0
  return text.split(/\s+/).filter(Boolean).length
}

/** Estimated screen time in whole seconds for a script of `wordCount` words. */
export function estimateDurationSeconds(wordCount: number): number {
  return Math.round((wordCount / WORDS_PER_MINUTE) * 60)
}

/** A scene's duration from its dialogue timings (seconds), or undefined when no line is timed. */
export function durationFromDialogue(dialogue: { timing?: number | null }[] | null | undefined): number | undefined {
  const timings = (dialogue ?? []).map((line) => line.timing).filter((t): t is number => typeof t === 'number')
  if (timings.length === 0) return undefined
  return timings.reduce((sum, t) => sum + t, 0)
}
