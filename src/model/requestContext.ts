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
    /**
     * Server code (imports, migrations, restores, seeds) creates documents in the status it brings along
     * (mayChooseCreationStatus, under the name IMPORT_STATUS_CONTEXT); a client can never set it.
     */
    importWithStatus?: boolean
    /** The stored name this request gave the uploaded file, so a nested operation does not rename it again. */
    storedFileName?: string
    /** The scene write turns this request holds (src/collections/Scenes/hooks/sceneWriteTurn.ts), by scene id. */
    sceneWriteTurns?: Map<string, unknown>
    /** The quota slot a create (or hand-over) took before its write, by quota, for its holder to be recorded (quotaSlots). */
    quotaSlots?: Record<string, string | undefined>
    /**
     * A step a beforeChange hook defers to the moment the document, validated, is written (by collection; each
     * operation's hook sets or clears it): the adapter runs it right before its write and its undo if the write
     * fails (src/db/uniqueViolations.ts). Quota slots use it, so that input refused by validation takes no slot.
     */
    beforeWrite?: Record<string, (() => Promise<(() => Promise<void>) | void>) | undefined>
    /** Numbers assignNumber vouched for (`kind:parent:id|new` → number): reserved or already held, not re-counted. */
    vouchedNumbers?: Map<string, number>
  }
}

export {}
