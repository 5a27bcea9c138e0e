import { slugs } from '../collections/slugs'

/**
 * The access policy as data: docs/ACCESS.md shows this table (tests/int/access/policyDoc.int.spec.ts checks that
 * the document and this module agree) and the access-matrix tests assert every cell through the Local API, REST
 * and GraphQL. The rules in src/access implement it.
 *
 * A cell says whether the principal may perform the operation on a document of the reference scenario: user O
 * owns project X, user K collaborates on X, user S owns an unrelated project, P is a producer, A an admin and W an
 * API key (worker). The target document belongs to X (a user target is O's account; a session target is O's
 * session in X; a prompt execution has `projectId` X; a template and an audit entry belong to nobody). `create`
 * means creating such a document in X (for users: registering an account; for projects: a project of one's own).
 * `list` means the target shows up in a list — and rows the principal may not read never do.
 */
export const principals = ['anonymous', 'owner', 'collaborator', 'stranger', 'producer', 'admin', 'worker'] as const
export type Principal = (typeof principals)[number]

export const operations = ['create', 'read', 'list', 'update', 'delete'] as const
export type Operation = (typeof operations)[number]

export type PolicySlug = (typeof slugs)[keyof typeof slugs]

type Row = Record<Operation, boolean>
const row = (flags: string): Row => {
  const [create, read, list, update, remove] = flags.split('').map((flag) => flag === 'Y')
  return { create: create!, read: read!, list: list!, update: update!, delete: remove! }
}

// Columns: create, read, list, update, delete.
const projectScoped = {
  anonymous: row('NNNNN'),
  owner: row('YYYYY'),
  collaborator: row('YYYYY'),
  stranger: row('NNNNN'),
  producer: row('NYYNN'),
  admin: row('YYYYY'),
  worker: row('NNNNN'),
}

export const accessPolicy: Record<PolicySlug, Record<Principal, Row>> = {
  [slugs.users]: {
    anonymous: row('YNNNN'),
    owner: row('YYYYN'),
    collaborator: row('YYYNN'),
    stranger: row('YNNNN'),
    producer: row('YNNNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  [slugs.projects]: {
    anonymous: row('NNNNN'),
    owner: row('YYYYY'),
    collaborator: row('YYYYN'),
    stranger: row('YNNNN'),
    producer: row('YYYNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  [slugs.episodes]: projectScoped,
  [slugs.characters]: projectScoped,
  [slugs.scenes]: projectScoped,
  [slugs.media]: { ...projectScoped, worker: row('YYYNN') },
  [slugs.tasks]: { ...projectScoped, worker: row('NYYYN') },
  [slugs.sessions]: {
    anonymous: row('NNNNN'),
    owner: row('YYYYY'),
    collaborator: row('YNNNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('YYYYY'),
    worker: row('NNNNN'),
  },
  [slugs.promptTemplates]: {
    anonymous: row('NNNNN'),
    owner: row('NYYNN'),
    collaborator: row('NYYNN'),
    stranger: row('NYYNN'),
    producer: row('YYYYY'),
    admin: row('YYYYY'),
    worker: row('NYYNN'),
  },
  [slugs.promptsExecuted]: {
    anonymous: row('NNNNN'),
    owner: row('NYYNN'),
    collaborator: row('NYYNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('YYYNY'),
    worker: row('YNNNN'),
  },
  [slugs.auditLog]: {
    anonymous: row('NNNNN'),
    owner: row('NNNNN'),
    collaborator: row('NNNNN'),
    stranger: row('NNNNN'),
    producer: row('NNNNN'),
    admin: row('NYYNN'),
    worker: row('NNNNN'),
  },
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
