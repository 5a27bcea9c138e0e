/**
 * What search and similarity may look at, as a constraint the query itself carries (never a filter applied to a
 * page afterwards): admins everything; a person the projects they are a member of (owner or collaborator, the
 * same membership constraint the project-scoped read rules use, so a policy change there follows here) plus the
 * project-less media they uploaded; a worker (API key) only media, of the projects of open tasks, as readMedia allows.
 */
export type SearchScope = { kind: 'all' } | { kind: 'projects'; projectIds: string[]; uploaderId?: string }
