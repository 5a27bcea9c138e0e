/**
 * `--smoke`, taken by every benchmark: a few iterations on little data, so CI proves the benchmark still runs end to
 * end (tests/int/bench/benchSmoke.int.spec.ts) without measuring anything; its numbers mean nothing. The full run
 * stays manual.
 */
export const smokeOption = { smoke: { type: 'boolean' } } as const

export const smokeUsage = '--smoke runs a few iterations on little data (CI: proves the benchmark runs; numbers mean nothing).'

/** A numeric setting: its environment variable when set, otherwise the smoke or the full default. */
export function benchSetting(name: string, { full, smoke }: { full: number; smoke: number }, isSmoke: boolean | undefined): number {
  const configured = process.env[name]
  return configured ? Number(configured) : isSmoke ? smoke : full
}
