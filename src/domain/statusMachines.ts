import { APIError } from 'payload'

import type { episodeStatuses, projectStatuses, sceneProductionStatuses } from '../collections/options'

/**
 * The status state machines (docs/DOMAIN.md). Each maps a status to the statuses it may move to; staying in the
 * same status is always allowed. A document may be created in any status (imports, seeding); every change after
 * that follows its machine, and an illegal jump is a 409.
 */
export type StateMachine<S extends string> = { name: string; transitions: Record<S, readonly S[]> }

/** Scene production: pending → generating → reviewing → approved | failed; failed → pending on retry. */
export const sceneProductionMachine: StateMachine<(typeof sceneProductionStatuses)[number]> = {
  name: 'scene production status',
  transitions: {
    pending: ['generating'],
    generating: ['reviewing', 'failed'],
    reviewing: ['approved', 'failed'],
    approved: [],
    failed: ['pending'],
  },
}

/**
 * Episodes move one stage forward, or one stage back for rework (a rewrite, a reshoot); a completed episode can be
 * reopened for editing. No stage is skipped.
 */
export const episodeStatusMachine: StateMachine<(typeof episodeStatuses)[number]> = {
  name: 'episode status',
  transitions: {
    planning: ['scripting'],
    scripting: ['storyboarding', 'planning'],
    storyboarding: ['production', 'scripting'],
    production: ['editing', 'storyboarding'],
    editing: ['completed', 'production'],
    completed: ['editing'],
  },
}

/**
 * Projects move one phase forward or one back; any unfinished phase can be put on hold, and a project on hold
 * resumes in any unfinished phase. A completed project can be reopened for post-production.
 */
export const projectStatusMachine: StateMachine<(typeof projectStatuses)[number]> = {
  name: 'project status',
  transitions: {
    concept: ['pre-production', 'on-hold'],
    'pre-production': ['production', 'concept', 'on-hold'],
    production: ['post-production', 'pre-production', 'on-hold'],
    'post-production': ['completed', 'production', 'on-hold'],
    completed: ['post-production'],
    'on-hold': ['concept', 'pre-production', 'production', 'post-production'],
  },
}

export function isAllowedTransition<S extends string>({
  machine,
  from,
  to,
}: {
  machine: StateMachine<S>
  from: S
  to: S
}): boolean {
  if (from === to) return true
  return (machine.transitions[from] ?? []).includes(to)
}

/** Throws a 409 naming the allowed next statuses when `from → to` is not in the machine. */
export function assertTransition<S extends string>({
  machine,
  from,
  to,
}: {
  machine: StateMachine<S>
  from: S
  to: S
}): void {
  if (isAllowedTransition({ machine, from, to })) return
  const allowed = machine.transitions[from] ?? []
  throw new APIError(
    `Illegal ${machine.name} change: ${from} → ${to}. From ${from} it can move to ${allowed.length ? allowed.join(', ') : 'nothing (final status)'}.`,
    409,
    { from, to, allowed: [...allowed] },
    true,
  )
}
