'use client'
import { useConfig } from '@payloadcms/ui'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'

/** An /api/v1 error body: its message, and the field issues or scenes it names. */
export type V1Error = {
  message: string
  issues: string[]
  scenes: { id: string; sceneNumber?: number; status?: string }[]
}

export type V1Result<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: V1Error }

/**
 * POSTs JSON (or a multipart form, for uploads) to an /api/v1 path as the signed-in user (cookies), and reads its
 * answer or its error.
 */
export function usePostV1() {
  const { config } = useConfig()
  return useCallback(
    async <T>(path: string, body: unknown): Promise<V1Result<T>> => {
      try {
        const response = await fetch(`${config.serverURL}${config.routes.api}/v1${path}`, {
          method: 'POST',
          credentials: 'include',
          ...(body instanceof FormData ? { body } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        })
        const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined
        if (response.ok) return { ok: true, status: response.status, body: json as T }
        const error = (json?.error ?? {}) as { message?: string; details?: { issues?: { path?: string; message: string }[]; scenes?: V1Error['scenes'] } }
        return {
          ok: false,
          status: response.status,
          error: {
            message: error.message ?? `The request failed (${response.status}).`,
            issues: (error.details?.issues ?? []).map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)),
            scenes: error.details?.scenes ?? [],
          },
        }
      } catch {
        return { ok: false, status: 0, error: { message: 'The server did not answer.', issues: [], scenes: [] } }
      }
    },
    [config.serverURL, config.routes.api],
  )
}

/** The text of an /api/v1 error, with the issues it names. */
export const errorText = (error: V1Error) => [error.message, ...error.issues].join(' — ')

/**
 * Calls `onChange` whenever the project's live events stream (GET /api/v1/projects/{id}/events, docs/QUEUE.md
 * "Live events") reports a task or media change, and once more a moment later: a task's completion is published as
 * the engine settles it, and the scene status it moves may be written just after. EventSource reconnects by itself
 * (with Last-Event-ID).
 */
export function useProjectEvents(projectId: string | undefined, onChange: () => void) {
  const { config } = useConfig()
  const callback = useRef(onChange)
  useLayoutEffect(() => {
    callback.current = onChange
  })
  useEffect(() => {
    if (!projectId || typeof EventSource === 'undefined') return
    const source = new EventSource(`${config.serverURL}${config.routes.api}/v1/projects/${projectId}/events`, { withCredentials: true })
    // A burst of events (progress reports) is one re-read soon and one a moment later, not one per event.
    const pending: Partial<Record<number, ReturnType<typeof setTimeout>>> = {}
    const later = (ms: number) => {
      if (pending[ms]) return
      pending[ms] = setTimeout(() => {
        delete pending[ms]
        callback.current()
      }, ms)
    }
    const changed = () => {
      later(200)
      later(1500)
    }
    for (const type of ['task.status', 'task.progress', 'media.created', 'gap']) source.addEventListener(type, changed)
    return () => {
      source.close()
      for (const timer of Object.values(pending)) clearTimeout(timer)
    }
  }, [projectId, config.serverURL, config.routes.api])
}

/** A media document's file address as the admin serves it (same origin, so the session cookie reaches it). */
export const mediaUrl = (serverURL: string, url: string | null | undefined) => (url ? new URL(url, serverURL || window.location.origin).toString() : undefined)

/**
 * Reads `read()` on mount, whenever its identity changes and on `reload()`; the answer or the error message is kept.
 * An answer that arrives after a newer read started is dropped.
 */
export function useReload<T>(read: (() => Promise<T>) | undefined) {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<string>()
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (!read) return
    let isCurrent = true
    void read().then(
      (value) => {
        if (!isCurrent) return
        setData(value)
        setError(undefined)
      },
      (err: unknown) => isCurrent && setError(err instanceof Error ? err.message : String(err)),
    )
    return () => {
      isCurrent = false
    }
  }, [read, version])
  const reload = useCallback(() => setVersion((current) => current + 1), [])
  return { data, error, reload }
}

/** GETs an /api path as the signed-in user; a refusal throws `what` with its status. */
export async function readApi<T>(api: string, path: string, what: string): Promise<T> {
  let response: Response
  try {
    response = await fetch(`${api}${path}`, { credentials: 'include' })
  } catch {
    throw new Error(`${what} could not be read: the server did not answer.`)
  }
  if (!response.ok) throw new Error(`${what} could not be read (${response.status}).`)
  return (await response.json()) as T
}
