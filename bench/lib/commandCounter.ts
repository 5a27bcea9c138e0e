import type { CommandStartedEvent, MongoClient } from 'mongodb'

/** Handshakes and monitoring that say nothing about the application's work. */
const ignored = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue'])

/** The project's frames of the current stack (src/, not node_modules), innermost first: where a command came from. */
function origin(): string {
  Error.stackTraceLimit = 200
  const frames = (new Error().stack ?? '').split('\n').filter((line) => line.includes('/src/') && !line.includes('node_modules'))
  return frames.slice(0, 3).map((line) => line.trim().replace(/^at /, '').replace(/\(?[^ ]*\/src\//, 'src/').replace(/\)$/, '')).join(' < ')
}

/**
 * Counts the database commands the client sends while `run` runs, as `command collection` (e.g. `find projects`).
 * Needs a client opened with `monitorCommands`. Calls must not overlap (the counter is the client's, not the call's).
 * BENCH_TRACE=1 prints where in src/ each command was sent from (the driver emits the event in the caller's stack).
 */
export function commandCounter(client: MongoClient) {
  let seen: string[] | undefined
  const trace = process.env.BENCH_TRACE === '1'
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (!seen || ignored.has(event.commandName)) return
    const command = `${event.commandName} ${String(event.command[event.commandName])}`
    seen.push(command)
    if (trace) console.log(`    ${command.padEnd(36)} ${origin()}`)
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
