import { internalSlugs, slugs } from '../model/slugs'

/**
 * The access policy as data: docs/ACCESS.md shows this table (tests/int/access/policyDoc.int.spec.ts checks that
 * the document and this module agree) and the access-matrix tests assert every cell through the Local API, REST
 * and GraphQL. The rules in src/access implement it.
 *
 * A cell says whether the principal may perform the operation on a document of the reference scenario: user O
 * owns project X, user K collaborates on X, user I has a pending (not yet accepted) invitation to X, user S owns an
 * unrelated project, P is a producer, A an admin and W an API key (worker). The target document belongs to X (a user target is O's account; a session target is O's
 * session in X; a prompt execution has `projectId` X; an invitation is O's pending invitation of I to X; a template and an audit
 * entry belong to nobody; a document lock is O's lock on X, a preference O's; a migration record and a key-value
 * entry belong to nobody). `create`
 * means creating such a document in X (for users: registering an account; for projects: a project of one's own;
 * for Payload's own collections: such a record, which Payload files under the caller).
 * `list` means the target shows up in a list — and rows the principal may not read never do.
 */
export const principals = ['anonymous', 'owner', 'collaborator', 'invitee', 'stranger', 'producer', 'admin', 'worker'] as const
export type Principal = (typeof principals)[number]

export const operations = ['create', 'read', 'list', 'update', 'delete'] as const
export type Operation = (typeof operations)[number]

export type PolicySlug = (typeof slugs)[keyof typeof slugs] | (typeof internalSlugs)[keyof typeof internalSlugs]

type Row = Record<Operation, boolean>
const row = (flags: string): Row => {
  const [create, read, list, update, remove] = flags.split('').map((flag) => flag === 'Y')
  return { create: create!, read: read!, list: list!, update: update!, delete: remove! }
}

// Columns: create, read, list, update, delete. A producer is a tenant like everyone else (no cross-project read);
// an invitee sees nothing of the project until they accept.
const projectScoped = {
  anonymous: row('NNNNN'),
  owner: row('YYYYY'),
  collaborator: row('YYYYY'),
  invitee: row('NNNNN'),
  stranger: row('NNNNN'),
  producer: row('NNNNN'),
  admin: row('YYYYY'),
  worker: row('NNNNN'),
}

const nothing = (): Record<Principal, Row> => Object.fromEntries(principals.map((principal) => [principal, row('NNNNN')])) as Record<Principal, Row>

export const accessPolicy: Record<PolicySlug, Record<Principal, Row>> = {
  [slugs.users]: {
    anonymous: row('YNNNN'),
    owner: row('YYYYN'),
    collaborator: row('YNNNN'),
    invitee: row('YNNNN'),
    stranger: row('YNNNN'),
    producer: row('YNNNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  [slugs.projects]: {
    anonymous: row('NNNNN'),
    owner: row('YYYYY'),
    collaborator: row('YYYYN'),
    invitee: row('YNNNN'),
    stranger: row('YNNNN'),
    producer: row('YNNNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  [slugs.episodes]: projectScoped,
  [slugs.characters]: projectScoped,
  [slugs.scenes]: projectScoped,
  [slugs.media]: { ...projectScoped, worker: row('YYYNN') },
  [slugs.tasks]: { ...projectScoped, worker: row('NYYNN') },
  [slugs.sessions]: {
    anonymous: row('NNNNN'),
    owner: row('YYYYY'),
    collaborator: row('YNNNN'),
    invitee: row('NNNNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  [slugs.promptTemplates]: {
    anonymous: row('NNNNN'),
    owner: row('NYYNN'),
    collaborator: row('NYYNN'),
    invitee: row('NYYNN'),
    stranger: row('NYYNN'),
    producer: row('YYYYY'),
    admin: row('YYYYY'),
    worker: row('NYYNN'),
  },
  [slugs.promptsExecuted]: {
    anonymous: row('NNNNN'),
    owner: row('NYYNN'),
    collaborator: row('NYYNN'),
    invitee: row('NNNNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('YYYNY'),
    worker: row('NNNNN'),
  },
  [slugs.auditLog]: {
    anonymous: row('NNNNN'),
    owner: row('NNNNN'),
    collaborator: row('NNNNN'),
    invitee: row('NNNNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('NYYNN'),
    worker: row('NNNNN'),
  },
  // Sent and answered through /api/v1 (invitationService); REST and GraphQL only read them (admins write).
  [slugs.projectInvitations]: {
    anonymous: row('NNNNN'),
    owner: row('NYYNN'),
    collaborator: row('NNNNN'),
    invitee: row('NYYNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  // Payload's own collections (src/collections/internalCollections.ts). Locks and preferences are their person's
  // (the owner column; a worker has only its own); the admin writes locks through the database adapter, so nobody
  // creates one through the API.
  [internalSlugs.lockedDocuments]: { ...nothing(), owner: row('NYYYY'), admin: row('NYYYY') },
  // Payload files a preference under whoever saves it: nobody updates another person's, admins included.
  [internalSlugs.preferences]: { ...nothing(), owner: row('NYYYY'), admin: row('YYYNY') },
  // Written by server code only (migrations run with access overridden).
  [internalSlugs.migrations]: { ...nothing(), admin: row('NYYNN') },
  // Payload's key-value store: server code only.
  [internalSlugs.kv]: nothing(),
}

/**
 * Operations a transport does not offer for a collection; the matrix expects them to reveal and change nothing.
 * payload-migrations has no REST or GraphQL API at all; for payload-preferences Payload answers REST `GET` and
 * `DELETE /api/payload-preferences/:key` by *key*, always on the caller's own preference (there is no REST read or
 * delete by id).
 */
export const notOffered: Partial<Record<PolicySlug, Partial<Record<'rest' | 'graphql', readonly Operation[]>>>> = {
  [internalSlugs.migrations]: { rest: operations, graphql: operations },
  [internalSlugs.preferences]: { rest: ['read', 'delete'] },
}

export function isOffered(slug: PolicySlug, transport: string, operation: Operation): boolean {
  return !(notOffered[slug]?.[transport as 'rest' | 'graphql'] ?? []).includes(operation)
}

export function isAllowed(slug: PolicySlug, principal: Principal, operation: Operation): boolean {
  return accessPolicy[slug][principal][operation]
}

/** The policy as the Markdown table docs/ACCESS.md carries between its `policy-table` markers. */
export function renderPolicyTable(): string {
  const letters: Record<Operation, string> = { create: 'C', read: 'R', list: 'L', update: 'U', delete: 'D' }
  const header = `| collection | ${principals.join(' | ')} |`
  const divider = `|---|${principals.map(() => '---').join('|')}|`
  const lines = Object.entries(accessPolicy).map(([slug, cells]) => {
    const rendered = principals.map((principal) => {
      const allowed = operations.filter((operation) => cells[principal][operation]).map((operation) => letters[operation])
      return allowed.length ? allowed.join('') : '—'
    })
    return `| ${slug} | ${rendered.join(' | ')} |`
  })
  return [header, divider, ...lines].join('\n')
}
