/**
 * The keys this app keeps in Payload's per-request `req.context`, declared once (Payload types `RequestContext` for
 * module augmentation), so access rules, hooks and services share them without string keys or casts. A Local API
 * call passes them as `context: { … }`.
 */
declare module 'payload' {
  interface RequestContext {
    /** Derived figures are not recomputed on each write: a script recomputes them once at the end. */
    skipDerivedFigures?: boolean
    /** Which secret inputs (password, API key) the write carried, noted before Payload strips them, for its audit entry. */
    auditSecretInputs?: string[]
    /** Emails of the logins this request is attempting, so a failed one is audited exactly once. */
    pendingLogins?: string[]
    /** This request promoted the first user to admin (the only admin ever made without an admin). */
    promotedFirstUser?: boolean
    /** Membership lookups shared by the access checks of one request. */
    accessMembershipMemo?: Map<string, Promise<unknown>>
    /** The update writes collaborators from accepted memberships (invitations), not a removal to record. */
    collaboratorsSync?: boolean
    /** A person asked to move this account to a new address: it counts once a token sent there comes back (emailChange). */
    emailChangeRequest?: { userId: string; email: string }
    /** Numbers assignNumber vouched for (`kind:parent:id|new` → number): reserved or already held, not re-counted. */
    vouchedNumbers?: Map<string, number>
  }
}

export {}
