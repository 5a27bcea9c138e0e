import type { subscriptionTiers } from '../../model/options'

export type Tier = (typeof subscriptionTiers)[number]

/** Features a subscription can unlock. `premium-quality` allows `projectSettings.qualityTier: premium`. */
export const features = ['premium-quality'] as const
export type Feature = (typeof features)[number]

export type Quotas = {
  maxProjects: number
  maxEpisodesPerProject: number
  features: Feature[]
  /** Open (queued or processing) tasks at once across all the owner's projects. */
  maxOpenTasks: number
  /** The highest task priority the owner's projects may use (1–10; the queue serves higher first). */
  maxPriority: number
}

/**
 * The one place quota defaults live. A user's `subscription.maxProjects`, `maxEpisodesPerProject` and `features`
 * override their tier's default when set (only admins can set them).
 */
export const tierQuotas: Record<Tier, Quotas> = {
  free: { maxProjects: 3, maxEpisodesPerProject: 10, features: [], maxOpenTasks: 20, maxPriority: 5 },
  pro: { maxProjects: 25, maxEpisodesPerProject: 50, features: ['premium-quality'], maxOpenTasks: 200, maxPriority: 8 },
  enterprise: { maxProjects: 500, maxEpisodesPerProject: 50, features: ['premium-quality'], maxOpenTasks: 2000, maxPriority: 10 },
}

type SubscriptionLike = {
  tier?: string | null
  maxProjects?: number | null
  maxEpisodesPerProject?: number | null
  features?: string[] | null
} | null

/** The quotas in force for a user: per-user overrides, else the tier's defaults (an unknown tier counts as free). */
export function resolveQuotas(user: { subscription?: SubscriptionLike } | null | undefined): Quotas {
  const subscription = user?.subscription ?? null
  const tier = (subscription?.tier ?? 'free') as Tier
  const defaults = tierQuotas[tier] ?? tierQuotas.free
  return {
    maxProjects: subscription?.maxProjects ?? defaults.maxProjects,
    maxEpisodesPerProject: subscription?.maxEpisodesPerProject ?? defaults.maxEpisodesPerProject,
    features: subscription?.features?.length ? (subscription.features as Feature[]) : defaults.features,
    maxOpenTasks: defaults.maxOpenTasks,
    maxPriority: defaults.maxPriority,
  }
}

/** Whether a subscription with these quotas may choose a project quality tier (premium needs premium-quality). */
export function isQualityTierIncluded({ quotas, tier }: { quotas: Quotas; tier: string | null | undefined }): boolean {
  return tier !== 'premium' || quotas.features.includes('premium-quality')
}
