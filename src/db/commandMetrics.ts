import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb'

import { Long } from 'mongodb'
import type { Payload } from 'payload'

import { metrics } from '../lib/metrics/registry'
import { type CommandShape, commandShape } from './commandShape'

/** The data design's slow-command threshold; SLOW_COMMAND_MS overrides it. */
export const DEFAULT_SLOW_COMMAND_MS = 1000

/** Handshakes and monitoring that say nothing about the application's queries. */
const housekeeping = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue', 'explain'])

const instrumented = new WeakSet<object>()

export function slowCommandThresholdMs(): number {
  const configured = Number(process.env.SLOW_COMMAND_MS)
  return Number.isFinite(configured) && configured >= 0 && process.env.SLOW_COMMAND_MS !== '' && process.env.SLOW_COMMAND_MS !== undefined
    ? configured
    : DEFAULT_SLOW_COMMAND_MS
}

/**
 * Feeds the database metrics from the driver's monitoring events (the client is opened with monitorCommands):
 * command latency by collection and command, slow commands, and the connection pool's in-use/available counts.
 * A command slower than the threshold is logged with its shape only (collection, command, filter and sort keys)
 * and, for reads, the plan the server chose (an explain of the same command, queryPlanner only: it does not run
 * the query again). Values never reach the log.
 */
export function instrumentDatabase(payload: Payload) {
  const client = payload.db.connection.getClient() as unknown as MongoClient
  if (instrumented.has(client)) return
  instrumented.add(client)
  const started = new Map<number, { shape: CommandShape; command: Record<string, unknown>; db: string }>()
  const { dbCommandDuration, dbSlowCommands, dbPoolConnections } = metrics()

  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (housekeeping.has(event.commandName)) return
    started.set(event.requestId, { shape: commandShape(event.commandName, event.command), command: event.command, db: event.databaseName })
  })
  const finished = (outcome: 'ok' | 'error') => (event: CommandSucceededEvent | CommandFailedEvent) => {
    const entry = started.get(event.requestId)
    if (!entry) return
    started.delete(event.requestId)
    const { shape } = entry
    dbCommandDuration.observe({ collection: shape.collection, command: shape.command, outcome }, event.duration / 1000)
    if (event.duration >= slowCommandThresholdMs()) {
      dbSlowCommands.inc({ collection: shape.collection, command: shape.command })
      void logSlowCommand({ payload, client, entry, durationMs: event.duration })
    }
  }
  client.on('commandSucceeded', finished('ok'))
  client.on('commandFailed', finished('error'))

  // Pool gauges: open connections minus checked-out ones are the available ones.
  let open = 0
  let inUse = 0
  const publish = () => {
    dbPoolConnections.set({ state: 'in_use' }, inUse)
    dbPoolConnections.set({ state: 'available' }, Math.max(0, open - inUse))
  }
  client.on('connectionCreated', () => (open++, publish()))
  client.on('connectionClosed', () => ((open = Math.max(0, open - 1)), publish()))
  client.on('connectionCheckedOut', () => (inUse++, publish()))
  client.on('connectionCheckedIn', () => ((inUse = Math.max(0, inUse - 1)), publish()))
  publish()
}

const explainable = new Set(['find', 'aggregate', 'count', 'distinct'])

async function logSlowCommand({
  payload,
  client,
  entry,
  durationMs,
}: {
  payload: Payload
  client: MongoClient
  entry: { shape: CommandShape; command: Record<string, unknown>; db: string }
  durationMs: number
}) {
  let plan: string | undefined
  if (explainable.has(entry.shape.command)) {
    try {
      const { lsid: _lsid, $clusterTime: _clusterTime, $db: _db, txnNumber: _txn, ...command } = entry.command
      // FerretDB's explain insists on a 64-bit skip (its find does not); MongoDB takes either, so both get a Long.
      if (typeof command.skip === 'number') command.skip = Long.fromNumber(command.skip)
      const explained = await client.db(entry.db).command({ explain: command, verbosity: 'queryPlanner' })
      plan = planSummary(explained)
    } catch {
      plan = undefined // not every engine explains every command; the shape is still logged
    }
  }
  payload.logger.warn({
    msg: 'Slow database command',
    slowCommand: { ...entry.shape, durationMs: Math.round(durationMs), thresholdMs: slowCommandThresholdMs(), plan: plan ?? 'unavailable' },
  })
}

/** "IXSCAN project_1_status_1 → FETCH" from an explain's winning plan (MongoDB); FerretDB says what it pushed down. */
export function planSummary(explained: Record<string, unknown>): string | undefined {
  const planner = (explained.queryPlanner ?? (explained.stages as Record<string, unknown>[] | undefined)?.[0]?.$cursor) as
    | { queryPlanner?: unknown; winningPlan?: unknown }
    | undefined
  const winning = ((planner as { queryPlanner?: { winningPlan?: unknown } })?.queryPlanner?.winningPlan ?? planner?.winningPlan) as
    | Record<string, unknown>
    | undefined
  if (!winning) {
    // FerretDB answers with its backend's SQL plan and whether the filter and sort were pushed down to it.
    return typeof explained.filterPushdown === 'boolean'
      ? `filterPushdown: ${String(explained.filterPushdown)}, sortPushdown: ${String(explained.sortPushdown)}`
      : undefined
  }
  const stages: string[] = []
  let node: Record<string, unknown> | undefined = (winning.queryPlan as Record<string, unknown> | undefined) ?? winning
  while (node) {
    stages.unshift(node.indexName ? `${String(node.stage)} ${String(node.indexName)}` : String(node.stage))
    node = node.inputStage as Record<string, unknown> | undefined
  }
  return stages.join(' → ')
}
