'use client'
import { useAuth, useConfig } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

type Member = { id: string; name: string | null; role: 'owner' | 'collaborator' }
type SentInvitation = { id: string; kind: 'collaborator' | 'ownership'; email: string }

/** The JSON answer of a v1 call, or its error message in the producer's words. */
async function callV1(url: string, init: RequestInit): Promise<{ ok: true; body: unknown } | { ok: false; message: string }> {
  const response = await fetch(url, { credentials: 'include', headers: { 'content-type': 'application/json' }, ...init })
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined
  if (response.ok) return { ok: true, body }
  return { ok: false, message: body?.error?.message ?? `The request failed (${response.status}).` }
}

/**
 * The project view's members (docs/ACCESS.md, membership by invitation): who is on it, and for the owner the
 * invitations and transfers still pending (each with Withdraw), an invite-by-email form and a Remove per
 * collaborator — all through the v1 endpoints, which decide who may do what.
 */
export function ProjectMembers({ project }: { project: string }) {
  const { config } = useConfig()
  const { user } = useAuth()
  const v1 = `${config.serverURL}${config.routes.api}/v1/projects/${project}`
  const [members, setMembers] = useState<Member[]>()
  const [version, setVersion] = useState(0)
  const [email, setEmail] = useState('')
  const [notice, setNotice] = useState<{ kind: 'error' | 'done'; text: string }>()
  const [pending, setPending] = useState<SentInvitation[]>([])
  const reload = useCallback(() => setVersion((current) => current + 1), [])

  useEffect(() => {
    let isCurrent = true
    void callV1(`${v1}/collaborators`, { method: 'GET' }).then((result) => {
      if (isCurrent && result.ok) setMembers((result.body as { members: Member[] }).members)
    })
    // Only the owner and admins get the list; anyone else gets a 403 and sees none.
    void callV1(`${v1}/invitations`, { method: 'GET' }).then((result) => {
      if (isCurrent) setPending(result.ok ? (result.body as { docs: SentInvitation[] }).docs : [])
    })
    return () => {
      isCurrent = false
    }
  }, [v1, version])

  const isOwner = members?.some((member) => member.role === 'owner' && member.id === String(user?.id)) || user?.role === 'admin'

  const invite = async () => {
    const result = await callV1(`${v1}/invitations`, { method: 'POST', body: JSON.stringify({ email: email.trim() }) })
    if (!result.ok) return setNotice({ kind: 'error', text: result.message })
    setNotice({ kind: 'done', text: `Invitation sent to ${email.trim()}.` })
    setEmail('')
    reload()
  }
  const withdraw = async (invitation: SentInvitation) => {
    const result = await callV1(`${v1}/invitations/${invitation.id}`, { method: 'DELETE' })
    if (!result.ok) return setNotice({ kind: 'error', text: result.message })
    setNotice({ kind: 'done', text: `The invitation to ${invitation.email} was withdrawn.` })
    reload()
  }
  const remove = async (member: Member) => {
    const result = await callV1(`${v1}/collaborators`, { method: 'DELETE', body: JSON.stringify({ userId: member.id }) })
    if (!result.ok) return setNotice({ kind: 'error', text: result.message })
    setNotice({ kind: 'done', text: `${member.name ?? 'The member'} no longer works on this project.` })
    reload()
  }

  return (
    <section className="hub__section" data-members>
      <header className="hub__header">
        <h3>Members</h3>
      </header>
      <table className="hub__table">
        <tbody>
          {(members ?? []).map((member) => (
            <tr key={member.id} data-member={member.name ?? member.id}>
              <td>{member.name ?? 'Unnamed member'}</td>
              <td>{member.role === 'owner' ? 'Owner' : 'Collaborator'}</td>
              <td>
                {isOwner && member.role === 'collaborator' && (
                  <button type="button" className="btn btn--style-secondary btn--size-small" onClick={() => void remove(member)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending.length > 0 && (
        <>
          <h4>Pending invitations</h4>
          <ul className="hub__chips" data-pending-invitations>
            {pending.map((invitation) => (
              <li key={invitation.id} data-invitation={invitation.email}>
                {invitation.email}
                {invitation.kind === 'ownership' ? ' (ownership)' : ''}{' '}
                <button type="button" className="btn btn--style-secondary btn--size-small" onClick={() => void withdraw(invitation)}>
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {isOwner && (
        <div className="members__invite">
          <label className="field-label" htmlFor="members-invite-email">
            Invite by email
          </label>
          <input
            id="members-invite-email"
            type="email"
            value={email}
            placeholder="name@example.com"
            onChange={(event) => setEmail(event.target.value)}
          />
          <button type="button" className="btn btn--style-primary btn--size-small" disabled={!email.trim()} onClick={() => void invite()}>
            Invite
          </button>
        </div>
      )}
      {notice && (
        <p className={notice.kind === 'error' ? 'hub__error' : 'hub__hint'} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </section>
  )
}
