import type { Payload } from 'payload'

import type { Task } from '../payload-types'

import { taskFailure } from '../errors'
import { describeMissing, findMediaTools } from '../lib/mediaTools/mediaTools'
import type { ProgressReport, TaskQueue } from '../queue/taskQueue'
import type { TaskHandler } from './taskHandler'

export type WorkerLog = (line: string) => void

export type WorkerOptions = {
  payload: Payload
  queue: TaskQueue
  handlers: TaskHandler[]
  workerId: string
  /** Tasks run at once. */
  concurrency?: number
  /** Only these task types (default: every type with a handler). */
  types?: string[]
  /** Run what is claimable now, then return. */
  once?: boolean
  /** Wait between claims while the queue is empty. */
  pollMs?: number
  /** After stop(): how long running tasks may take before they are released (failed as retryable). */
  drainMs?: number
  log?: WorkerLog
}

const SHUTDOWN = 'worker shutdown'

/** Rejects once the signal aborts, so a handler that ignores its signal cannot hold the worker. */
const whenAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error(String(signal.reason ?? 'aborted'))), { once: true }))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The worker loop: claims through the engine, runs one handler per task type, renews the lease while a handler
 * works (a third of the lease time), and logs one line per task transition. stop() (SIGTERM) stops claiming,
 * lets running tasks finish within drainMs, releases the others, and resolves `done`.
 */
export function startWorker({
  payload,
  queue,
  handlers,
  workerId,
  concurrency = 1,
  types,
  once = false,
  pollMs = 1_000,
  drainMs = 30_000,
  log = (line) => console.log(line),
}: WorkerOptions) {
  const byType = new Map(handlers.map((handler) => [handler.taskType as string, handler]))
  const wantedTypes = (types ?? [...byType.keys()]).filter((type) => byType.has(type))
  let claimTypes: string[] = []
  const running = new Set<Promise<void>>()
  const aborts = new Set<AbortController>()
  let isStopping = false
  let wake: () => void = () => undefined
  let signalStop: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => (signalStop = resolve))

  const line = (task: Pick<Task, 'id' | 'taskType'>, event: string, detail = '') =>
    log(`${new Date().toISOString()} worker=${workerId} task=${task.id} type=${task.taskType} ${event}${detail ? ` ${detail}` : ''}`)

  async function runTask(task: Task, attempt: number) {
    const handler = byType.get(task.taskType)!
    const abort = new AbortController()
    aborts.add(abort)
    let progress: ProgressReport | undefined
    // Once the handler returned, the result is being settled: a heartbeat racing it would only see its own ending.
    let isSettling = false
    const beat = async () => {
      if (isSettling) return
      try {
        const answer = await queue.heartbeat({ taskId: task.id, attempt, workerId, progress })
        progress = undefined
        if (answer.cancelRequested) {
          line(task, 'cancelled', '(requested by a member)')
          abort.abort()
        }
      } catch (err) {
        if (isSettling) return
        line(task, 'lease-lost', (err as Error).message)
        abort.abort()
      }
    }
    const timer = setInterval(() => void beat(), Math.max(100, Math.floor(queue.leaseMs / 3)))
    try {
      const output = await Promise.race([
        handler.run({
          task,
          context: { payload, workerId, signal: abort.signal, reportProgress: (next) => (progress = { ...progress, ...next }) },
        }),
        whenAborted(abort.signal),
      ])
      if (abort.signal.aborted) return
      isSettling = true
      clearInterval(timer)
      await queue.complete({ taskId: task.id, attempt, workerId, output })
      line(task, 'completed', output.mediaId ? `media=${output.mediaId}` : '')
    } catch (err) {
      if (abort.signal.reason === SHUTDOWN) {
        await queue
          .fail({ taskId: task.id, attempt, workerId, error: { code: 'WORKER_SHUTDOWN', message: `Worker ${workerId} stopped before finishing.` } })
          .then(() => line(task, 'released', '(worker stopping)'))
          .catch((failErr) => line(task, 'lease-lost', (failErr as Error).message))
        return
      }
      if (abort.signal.aborted) return
      isSettling = true
      clearInterval(timer)
      const { code, message, retryable } = taskFailure(err)
      try {
        const after = await queue.fail({ taskId: task.id, attempt, workerId, error: { code, message }, retryable })
        line(task, after.status === 'queued' ? 'failed-will-retry' : 'failed', `${code}: ${message}`)
      } catch (failErr) {
        line(task, 'lease-lost', (failErr as Error).message)
      }
    } finally {
      clearInterval(timer)
      aborts.delete(abort)
    }
  }

  /** Types whose handler needs ffmpeg/ffprobe are not claimed when they are missing (said once, at start). */
  async function usableTypes(): Promise<string[]> {
    const needing = wantedTypes.filter((type) => byType.get(type)!.needsMediaTools?.())
    if (needing.length === 0) return wantedTypes
    const tools = await findMediaTools()
    if (tools.available) return wantedTypes
    log(`${new Date().toISOString()} worker=${workerId} media-tools-missing not claiming ${needing.join(', ')}: ${describeMissing(tools)}`)
    return wantedTypes.filter((type) => !needing.includes(type))
  }

  async function loop() {
    claimTypes = await usableTypes()
    while (!isStopping) {
      if (running.size >= concurrency) {
        await Promise.race([...running, stopped])
        continue
      }
      const claimed = claimTypes.length > 0 ? await queue.claim({ workerId, types: claimTypes }) : null
      if (!claimed) {
        if (once) break
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, pollMs)
        })
        continue
      }
      line(claimed.task, 'claimed', `attempt=${claimed.attempt}`)
      const job = runTask(claimed.task, claimed.attempt).finally(() => running.delete(job))
      running.add(job)
    }
    // Draining: running tasks get drainMs to finish; the rest are released (a retryable failure, so another worker
    // takes them after their backoff).
    const drained = await Promise.race([Promise.all(running).then(() => true), sleep(drainMs).then(() => false)])
    if (!drained) {
      for (const abort of aborts) abort.abort(SHUTDOWN)
    }
    await Promise.all(running)
  }

  const done = loop()
  return {
    done,
    stop() {
      isStopping = true
      signalStop()
      wake()
    },
  }
}
