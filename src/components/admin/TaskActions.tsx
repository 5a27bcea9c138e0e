'use client'
import { useConfig, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import { useState } from 'react'

/**
 * The task view's Cancel and Retry buttons (docs/ACCESS.md, "Who changes what on a task"). A task's state is the
 * engine's: the form shows it read-only to members, and these buttons ask the engine through the v1 endpoints —
 * cancel a queued or processing task, enqueue a failed or cancelled one again (as a new task, which opens).
 */
export function TaskActions() {
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const status = useFormFields(([fields]) => fields.status?.value as string | undefined)
  const router = useRouter()
  const [notice, setNotice] = useState<{ kind: 'error' | 'done'; text: string }>()
  const [busy, setBusy] = useState(false)
  if (id === undefined || !status) return null
  const v1 = `${config.serverURL}${config.routes.api}/v1/tasks/${id}`

  const call = async (action: 'cancel' | 'retry') => {
    setBusy(true)
    try {
      const response = await fetch(`${v1}/${action}`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' })
      const body = (await response.json().catch(() => undefined)) as { id?: string; error?: { message?: string } } | undefined
      if (!response.ok) return setNotice({ kind: 'error', text: body?.error?.message ?? `The request failed (${response.status}).` })
      if (action === 'retry' && body?.id) return router.push(`${config.routes.admin}/collections/tasks/${body.id}`)
      setNotice({ kind: 'done', text: 'Cancellation requested: a queued task stops now, a running one at its next heartbeat.' })
      router.refresh()
    } finally {
      setBusy(false)
    }
  }

  const canCancel = status === 'queued' || status === 'processing'
  const canRetry = status === 'failed' || status === 'cancelled'
  if (!canCancel && !canRetry) return null
  return (
    <div className="hub" data-task-actions>
      {canCancel && (
        <button type="button" className="btn btn--style-secondary btn--size-small" disabled={busy} onClick={() => void call('cancel')} data-action="cancel">
          Cancel task
        </button>
      )}
      {canRetry && (
        <button type="button" className="btn btn--style-primary btn--size-small" disabled={busy} onClick={() => void call('retry')} data-action="retry">
          Retry as a new task
        </button>
      )}
      {notice && <p className={notice.kind === 'error' ? 'hub__error' : 'hub__hint'}>{notice.text}</p>}
    </div>
  )
}
