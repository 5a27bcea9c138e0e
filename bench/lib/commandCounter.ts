import type { CommandStartedEvent, MongoClient } from 'mongodb'

/** Handshakes and monitoring that say nothing about the application's work. */
const ignored = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue'])

/**
 * Counts the database commands the client sends while `run` runs, as `command collection` (e.g. `find projects`).
 * Needs a client opened with `monitorCommands`. Calls must not overlap (the counter is the client's, not the call's).
 */
export function commandCounter(client: MongoClient) {
  let seen: string[] | undefined
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (seen && !ignored.has(event.commandName)) seen.push(`${event.commandName} ${String(event.command[event.commandName])}`)
  })
  return async function count<T>(run: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
    seen = []
    try {
      const result = await run()
      return { result, commands: seen }
    } finally {
      seen = undefined
    }
  }
}

/** `3× find projects, 1× insert scenes`, in the order first seen. */
export function breakdown(commands: string[]): string {
  const counts = new Map<string, number>()
  for (const command of commands) counts.set(command, (counts.get(command) ?? 0) + 1)
  return [...counts].map(([command, count]) => `${count}× ${command}`).join(', ')
}
