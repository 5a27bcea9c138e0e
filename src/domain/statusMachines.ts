import type { episodeStatuses, projectStatuses, sceneProductionStatuses, sessionStates, taskStatuses } from '../model/options'

import { ConflictError } from '../errors'

/**
 * The status state machines (docs/DOMAIN.md). Each maps a status to the statuses it may move to; staying in the
 * same status is always allowed. A document is created in the machine's `initial` status (admins and imports with
 * explicit rights may choose another, see enforceStatusTransition); every change after that follows its machine,
 * and an illegal jump — or another status at creation — is a 409.
 */
export type StateMachine<S extends string> = { name: string; initial: S; transitions: Record<S, readonly S[]> }

/**
 * Scene production: pending → generating → reviewing → approved | failed; failed → pending on retry; reviewing →
 * pending when a review rejects the takes (POST /api/v1/scenes/{id}/review).
 */
export const sceneProductionMachine: StateMachine<(typeof sceneProductionStatuses)[number]> = {
  name: 'scene production status',
  initial: 'pending',
  transitions: {
    pending: ['generating'],
    generating: ['reviewing', 'failed'],
    reviewing: ['approved', 'failed', 'pending'],
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
  initial: 'planning',
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
  initial: 'concept',
  transitions: {
    concept: ['pre-production', 'on-hold'],
    'pre-production': ['production', 'concept', 'on-hold'],
    production: ['post-production', 'pre-production', 'on-hold'],
    'post-production': ['completed', 'production', 'on-hold'],
    completed: ['post-production'],
    'on-hold': ['concept', 'pre-production', 'production', 'post-production'],
  },
}

/**
 * Tasks (docs/QUEUE.md): queued → processing → completed | failed | cancelled; processing → queued on a retry or a
 * lease expiry; a queued task can be cancelled. completed, failed and cancelled are final.
 */
export const taskStatusMachine: StateMachine<(typeof taskStatuses)[number]> = {
  name: 'task status',
  initial: 'queued',
  transitions: {
    queued: ['processing', 'cancelled'],
    processing: ['completed', 'failed', 'cancelled', 'queued'],
    completed: [],
    failed: [],
    cancelled: [],
  },
}

/** Sessions pause and resume; completed and error are final (a finished session is not reopened). */
export const sessionStateMachine: StateMachine<(typeof sessionStates)[number]> = {
  name: 'session state',
  initial: 'active',
  transitions: {
    active: ['paused', 'completed', 'error'],
    paused: ['active', 'completed', 'error'],
    completed: [],
    error: [],
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

/** Throws a 409 naming the field and the allowed next statuses when `from → to` is not in the machine. */
export function assertTransition<S extends string>({
  machine,
  field,
  from,
  to,
}: {
  machine: StateMachine<S>
  field: string
  from: S
  to: S
}): void {
  if (isAllowedTransition({ machine, from, to })) return
  const allowed = machine.transitions[from] ?? []
  throw new ConflictError({
    message: `Illegal ${machine.name} change (${field}): ${from} → ${to}. From ${from} it can move to ${allowed.length ? allowed.join(', ') : 'nothing (final status)'}.`,
    details: { field, from, to, allowed: [...allowed] },
  })
}

/**
 * Throws a 409 naming the field when a document would be created in another status than the machine's initial one;
 * `mayChoose` says whether the caller may (admins, imports with explicit rights).
 */
export function assertCreationStatus<S extends string>({
  machine,
  field,
  to,
  mayChoose,
}: {
  machine: StateMachine<S>
  field: string
  to: S
  mayChoose: boolean
}): void {
  if (to === machine.initial || mayChoose) return
  throw new ConflictError({
    message: `Illegal ${machine.name} at creation (${field}): ${to}. A new document starts as ${machine.initial}; only admins and imports create one in another status.`,
    details: { field, to, allowed: [machine.initial] },
  })
}
