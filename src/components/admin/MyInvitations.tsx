'use client'
import { useConfig } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useState } from 'react'

type Pending = { id: string; kind: 'collaborator' | 'ownership'; project: { id: string; title: string } }

/**
 * The dashboard's invitations for the signed-in user (GET /api/v1/invitations), each with the token field (from the
 * invitation mail sent to the invited address: it proves the address is theirs), Accept and Decline; an accepted
 * project appears in the dashboard at once (the page is refreshed).
 */
export function MyInvitations() {
  const { config } = useConfig()
  const router = useRouter()
  const base = `${config.serverURL}${config.routes.api}/v1/invitations`
  const [docs, setDocs] = useState<Pending[]>([])
  const [message, setMessage] = useState<string>()
  const [version, setVersion] = useState(0)
  const [tokens, setTokens] = useState<Record<string, string>>({})

  useEffect(() => {
    let isCurrent = true
    void fetch(base, { credentials: 'include' })
      .then(async (response) => (response.ok ? ((await response.json()) as { docs: Pending[] }) : { docs: [] }))
      .then((body) => {
        if (isCurrent) setDocs(body.docs)
      })
    return () => {
      isCurrent = false
    }
  }, [base, version])

  const answer = useCallback(
    async (invitation: Pending, verb: 'accept' | 'decline') => {
      const response = await fetch(`${base}/${invitation.id}/${verb}`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: (tokens[invitation.id] ?? '').trim() }),
      })
      const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined
      setMessage(response.ok ? undefined : (body?.error?.message ?? `The answer failed (${response.status}).`))
      setVersion((current) => current + 1)
      if (response.ok && verb === 'accept') router.refresh()
    },
    [base, router, tokens],
  )

  if (docs.length === 0 && !message) return null
  return (
    <section className="dashboard__section" data-my-invitations>
      <h2>Invitations for you</h2>
      <table className="hub__table">
        <tbody>
          {docs.map((invitation) => (
            <tr key={invitation.id} data-invitation-project={invitation.project.title}>
              <td>
                {invitation.kind === 'ownership' ? 'Take over ' : 'Join '}
                <strong>{invitation.project.title}</strong>
              </td>
              <td>
                <input
                  aria-label="Token from the invitation mail"
                  data-invitation-token
                  placeholder="Token from the invitation mail"
                  value={tokens[invitation.id] ?? ''}
                  onChange={(event) => setTokens((current) => ({ ...current, [invitation.id]: event.target.value }))}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="btn btn--style-primary btn--size-small"
                  disabled={!(tokens[invitation.id] ?? '').trim()}
                  onClick={() => void answer(invitation, 'accept')}
                >
                  Accept
                </button>{' '}
                <button
                  type="button"
                  className="btn btn--style-secondary btn--size-small"
                  disabled={!(tokens[invitation.id] ?? '').trim()}
                  onClick={() => void answer(invitation, 'decline')}
                >
                  Decline
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && (
        <p className="hub__error" role="alert">
          {message}
        </p>
      )}
    </section>
  )
}
