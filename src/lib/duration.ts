const unitMs = { d: 24 * 60 * 60 * 1000, h: 60 * 60 * 1000, m: 60 * 1000, s: 1000 } as const

/**
 * A duration written as ops write it — `30d`, `12h`, `90m`, `30s` — in milliseconds; null when it is not one.
 * `units` limits the units accepted (the tasks archive takes no seconds).
 */
export function parseDuration(text: string | undefined, units: readonly (keyof typeof unitMs)[] = ['d', 'h', 'm', 's']): { ms: number; amount: number; unit: keyof typeof unitMs } | null {
  const match = /^(\d+)([dhms])$/.exec(text?.trim() ?? '')
  if (!match || !units.includes(match[2] as keyof typeof unitMs)) return null
  const unit = match[2] as keyof typeof unitMs
  return { ms: Number(match[1]) * unitMs[unit], amount: Number(match[1]), unit }
}
