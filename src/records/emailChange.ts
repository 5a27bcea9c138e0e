import type { Payload, PayloadRequest } from 'payload'

import { env } from '../lib/env'
import { hashSecretToken, newSecretToken } from '../lib/secretToken'
import { slugs } from '../model/slugs'

/** How long a confirmation link sent to the new address stays valid. */
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000

type StoredUser = { id: string; email?: string; pendingEmail?: string | null; emailChangeTokenHash?: string | null; emailChangeExpiresAt?: string | null }

/** The same shape every mail of this module takes: plain text, one link or code a person can act on. */
async function send({ payload, to, subject, text }: { payload: Payload; to: string; subject: string; text: string }) {
  await payload.sendEmail({ to, subject, text })
}

/**
 * Records a requested change of an account's address and mails both ends (docs/ACCESS.md, "Changing one's
 * email"). The new address counts only once the token mailed to it comes back (confirmEmailChange); until then
 * the account keeps its address, and invitations, password resets and logins go by the old one. The caller's answer
 * is the same whether the new address is free, taken, or has invitations waiting: only the mail to that address
 * says it is taken (its holder may know), and then no token exists to confirm with. The old address is told.
 */
export async function requestEmailChange({ req, userId, email }: { req: PayloadRequest; userId: string; email: string }): Promise<void> {
  const { payload } = req
  // System reads and writes: the token hash and the other account are never the caller's to see.
  const account = await payload.db.findOne<StoredUser>({ collection: slugs.users, where: { id: { equals: userId } }, req })
  if (!account?.email) return
  const holder = await payload.db.findOne<StoredUser>({ collection: slugs.users, where: { email: { equals: email } }, req })
  const isTaken = Boolean(holder && String(holder.id) !== String(userId))
  const { token, hash } = newSecretToken()
  await payload.db.updateOne({
    collection: slugs.users,
    id: userId,
    data: {
      pendingEmail: email,
      emailChangeTokenHash: isTaken ? null : hash,
      emailChangeExpiresAt: new Date(Date.now() + EMAIL_CHANGE_TTL_MS).toISOString(),
    },
    req,
  })
  if (isTaken) {
    await send({
      payload,
      to: email,
      subject: 'Someone asked to use this address for another account',
      text: 'This address already belongs to an account, so it cannot be moved to another one. Nothing was changed. If this was you, sign in to the account that has this address.',
    })
  } else {
    await send({
      payload,
      to: email,
      subject: 'Confirm your new email address',
      text: [
        'Confirm that this address should become the email address of your account.',
        `Confirmation token: ${token}`,
        `POST ${env.serverUrl}/api/v1/account/email/confirm with {"token": "<the token>"}.`,
        'The token is valid for 24 hours. If you did not ask for this, ignore this message.',
      ].join('\n'),
    })
  }
  await send({
    payload,
    to: account.email,
    subject: 'A change of your email address was requested',
    text: `Someone signed in to your account asked to change its email address to ${email}. It changes only once that address confirms. If this was not you, change your password now.`,
  })
}

/**
 * The token mailed to the new address came back: the account moves to it. Refused (the same answer for an
 * unknown, used or expired token) unless the token is current; a new address taken meanwhile is a conflict the
 * address's own holder is told about. The old address is told the change is done. Returns the account id, or
 * undefined when the token is not valid.
 */
export async function confirmEmailChange({ payload, token }: { payload: Payload; token: string }): Promise<{ userId: string; email: string } | 'invalid' | 'taken'> {
  const account = await payload.db.findOne<StoredUser>({
    collection: slugs.users,
    where: { emailChangeTokenHash: { equals: hashSecretToken(token) } },
  })
  if (!account?.pendingEmail || !account.emailChangeExpiresAt || Date.parse(account.emailChangeExpiresAt) < Date.now()) return 'invalid'
  const email = account.pendingEmail
  const previous = account.email
  const holder = await payload.db.findOne<StoredUser>({ collection: slugs.users, where: { email: { equals: email } } })
  if (holder && String(holder.id) !== String(account.id)) return 'taken'
  // System code: the account's own address is written only here, after the token proved the new address; the
  // unique index on email arbitrates a race with a registration of the same address.
  await payload.update({
    collection: slugs.users,
    id: account.id,
    data: { email, pendingEmail: null, emailChangeTokenHash: null, emailChangeExpiresAt: null, emailSince: new Date().toISOString() } as never,
    overrideAccess: true,
    depth: 0,
  })
  if (previous) {
    await send({
      payload,
      to: previous,
      subject: 'Your email address was changed',
      text: `The email address of your account is now ${email}. If this was not you, contact support at once.`,
    })
  }
  return { userId: String(account.id), email }
}
