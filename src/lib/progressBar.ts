import cliProgress from 'cli-progress'

export type ProgressBar = {
  /** Moves the bar forward by `step` (default 1). */
  advance: (step?: number) => void
  /** Finishes the bar (the last state stays on screen). */
  stop: () => void
}

/**
 * A progress bar on stderr for ops scripts and migrations (cli-progress). On a terminal it redraws in place; in a
 * log (CI, `| tee`) it prints a line every few seconds and a last one at the end, so long runs show they are moving.
 * PROGRESS=off silences it (the tests set it, since their output is not read by a person).
 */
export function startProgressBar({ label, total }: { label: string; total: number }): ProgressBar {
  if (process.env.PROGRESS === 'off' || total === 0) return { advance: () => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(34)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0)
  return {
    advance: (step = 1) => bar.increment(step),
    stop: () => bar.stop(),
  }
}
