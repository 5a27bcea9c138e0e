import { z } from 'zod'

import { taskTypes } from '../model/options'

export type TaskType = (typeof taskTypes)[number]

/** How often a task type is retried and how long the queue waits between attempts. */
export type RetryPolicy = {
  /** Retries after the first attempt; the task fails for good on the failure after the last retry. */
  maxRetries: number
  /** Delay before the first retry; each later retry doubles it. */
  baseDelayMs: number
  /** Ceiling of the doubled delay. */
  maxDelayMs: number
  /** Fraction of the delay taken away at random (0 none, 0.5 up to half), so failed tasks do not retry in step. */
  jitter: number
}

/** Video and voice generations are slow and expensive upstream: fewer retries, longer waits. */
export const defaultRetryPolicies: Record<TaskType, RetryPolicy> = {
  image_generation: { maxRetries: 3, baseDelayMs: 5_000, maxDelayMs: 300_000, jitter: 0.5 },
  video_generation: { maxRetries: 2, baseDelayMs: 30_000, maxDelayMs: 900_000, jitter: 0.5 },
  audio_generation: { maxRetries: 3, baseDelayMs: 10_000, maxDelayMs: 600_000, jitter: 0.5 },
  script_generation: { maxRetries: 3, baseDelayMs: 5_000, maxDelayMs: 300_000, jitter: 0.5 },
  embedding_generation: { maxRetries: 5, baseDelayMs: 2_000, maxDelayMs: 120_000, jitter: 0.5 },
  scene_assembly: { maxRetries: 2, baseDelayMs: 10_000, maxDelayMs: 600_000, jitter: 0.5 },
}

const policyOverride = z
  .object({
    maxRetries: z.number().int().min(0).max(100),
    baseDelayMs: z.number().int().min(0),
    maxDelayMs: z.number().int().min(0),
    jitter: z.number().min(0).max(1),
  })
  .partial()
  .strict()
const overridesSchema = z.partialRecord(z.enum(taskTypes), policyOverride)

export type RetryPolicyOverrides = z.input<typeof overridesSchema>

/**
 * The policies in force: the defaults above with `overrides` (or the TASK_RETRY_POLICIES environment variable, JSON
 * such as {"video_generation":{"maxRetries":4}}) laid over them. A malformed value stops the start with its path.
 */
export function resolveRetryPolicies(overrides: RetryPolicyOverrides | string | undefined = process.env.TASK_RETRY_POLICIES): Record<TaskType, RetryPolicy> {
  const raw = typeof overrides === 'string' ? (overrides.trim() ? JSON.parse(overrides) : {}) : (overrides ?? {})
  const parsed = overridesSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`TASK_RETRY_POLICIES is invalid at ${issue.path.join('.')}: ${issue.message}`)
  }
  const policies = { ...defaultRetryPolicies }
  for (const [type, override] of Object.entries(parsed.data) as [TaskType, Partial<RetryPolicy>][]) {
    policies[type] = { ...policies[type], ...override }
  }
  return policies
}

/**
 * Delay before retry number `retry` (1 for the first): exponential (base · 2^(retry−1), capped at maxDelayMs) minus
 * a random share of up to `jitter` of it. `random` returns [0, 1) (Math.random; tests pass their own).
 */
export function backoffDelayMs({ policy, retry, random }: { policy: RetryPolicy; retry: number; random: () => number }): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
  return Math.round(exponential * (1 - policy.jitter * random()))
}
