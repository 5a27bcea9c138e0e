import type { Payload } from 'payload'

import type { CommandStartedEvent } from 'mongodb'
import mongoose from 'mongoose'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'

/**
 * The filter and sort of each query command, as the driver sends them (its command monitoring). Shared by the
 * query-shape test and by the suite-wide log: with QUERY_SHAPES_LOG=<file>, every test Payload (tests/helpers/payload.ts)
 * appends its queries to that file (EJSON, so ids, dates and patterns keep their types), and
 * tests/int/db/queryShapes.int.spec.ts checks them against the index plan as it checks its own scenario's.
 */
export type RecordedQuery = { collection: string; command: string; filter: unknown; sort: [string, number][] }

export const filterCommands: Record<string, (command: Record<string, unknown>) => unknown> = {
  find: (c) => c.filter,
  count: (c) => c.query,
  distinct: (c) => c.query,
  findAndModify: (c) => c.query,
  update: (c) => (c.updates as { q?: unknown }[])[0]?.q,
  delete: (c) => (c.deletes as { q?: unknown }[])[0]?.q,
  aggregate: (c) => (c.pipeline as Record<string, unknown>[]).find((stage) => '$match' in stage)?.$match ?? {},
}

/** The sort of a find (the driver hands it over as a Map), findAndModify or aggregate ($sort), as [field, 1 | -1] pairs. */
export function sortOf(commandName: string, command: Record<string, unknown>): [string, number][] {
  const sort =
    commandName === 'aggregate'
      ? (command.pipeline as Record<string, unknown>[]).find((stage) => '$sort' in stage)?.$sort
      : commandName === 'find' || commandName === 'findAndModify'
        ? command.sort
        : undefined
  if (!sort) return []
  const entries = sort instanceof Map ? [...sort.entries()] : Object.entries(sort as Record<string, unknown>)
  return entries.map(([field, direction]) => [field, Number(direction) < 0 ? -1 : 1])
}

/** The query a command event carries, or undefined for commands that are not queries on a collection. */
export function queryOf(event: CommandStartedEvent): RecordedQuery | undefined {
  const command = event.command as Record<string, unknown>
  const filterOf = filterCommands[event.commandName]
  const collection = command[event.commandName]
  if (!filterOf || typeof collection !== 'string') return undefined
  return { collection, command: event.commandName, filter: filterOf(command), sort: sortOf(event.commandName, command) }
}

/** Appends this Payload's queries to QUERY_SHAPES_LOG (when set). The connection must monitor its commands. */
export function logQueryShapes(payload: Payload) {
  const file = process.env.QUERY_SHAPES_LOG
  if (!file) return
  payload.db.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
    const query = queryOf(event)
    if (query) appendFileSync(file, `${mongoose.mongo.BSON.EJSON.stringify(query, { relaxed: false })}\n`)
  })
}

/** The queries logged by a suite run (empty when QUERY_SHAPES_LOG is unset or its file absent). */
export function loggedQueries(): RecordedQuery[] {
  const file = process.env.QUERY_SHAPES_LOG
  if (!file || !existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => mongoose.mongo.BSON.EJSON.parse(line, { relaxed: false }) as RecordedQuery)
}
