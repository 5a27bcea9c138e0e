import type { Payload } from 'payload'

import type { CommandStartedEvent } from 'mongodb'

/** Driver handshakes and housekeeping that are not queries a request made. */
const ignored = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue'])

/**
 * Counts the database commands a piece of work sends, through the driver's command monitoring. The connection must
 * have been opened with `monitorCommands=true` in its URL (see monitoredDatabaseUrl).
 */
export function createCommandMonitor(payload: Payload) {
  const client = payload.db.connection.getClient()
  let recording: { name: string; collection: unknown }[] | undefined
  const listener = (event: CommandStartedEvent) => {
    if (!recording || ignored.has(event.commandName)) return
    recording.push({ name: event.commandName, collection: event.command[event.commandName] })
  }
  client.on('commandStarted', listener)
  return {
    /** Runs `work` and returns the commands it sent, e.g. [{ name: 'find', collection: 'projects' }]. */
    async record<T>(work: () => Promise<T>): Promise<{ result: T; commands: { name: string; collection: unknown }[] }> {
      recording = []
      try {
        const result = await work()
        return { result, commands: recording }
      } finally {
        recording = undefined
      }
    },
    stop: () => client.off('commandStarted', listener),
  }
}

/** A database URL whose connections report their commands. */
export function monitoredDatabaseUrl(url: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set('monitorCommands', 'true')
  return parsed.toString()
}
