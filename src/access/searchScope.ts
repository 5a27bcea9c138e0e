import type { PayloadRequest } from 'payload'

import { getMemberProjectIds, getOpenTaskProjectIds, isAdminUser, isApiKeyUser, isPerson, relationId } from './utilities'

/**
 * What search and similarity may look at, as a constraint the query itself carries (never a filter applied to a
 * page afterwards): admins everything; a person the projects they are a member of (owner or collaborator, the
 * same membership constraint the project-scoped read rules use, so a policy change there follows here) plus the
 * project-less media they uploaded; a worker (API key) the projects of open tasks, as readMedia allows.
 */
export type SearchScope = { kind: 'all' } | { kind: 'projects'; projectIds: string[]; uploaderId?: string }

export async function getSearchScope(req: PayloadRequest): Promise<SearchScope> {
  const { user } = req
  if (isAdminUser(user)) return { kind: 'all' }
  if (isApiKeyUser(user)) return { kind: 'projects', projectIds: await getOpenTaskProjectIds(req) }
  if (!isPerson(user)) return { kind: 'projects', projectIds: [] }
  return { kind: 'projects', projectIds: await getMemberProjectIds(req), uploaderId: relationId(user!.id) }
}

/** Narrows a scope to one project (the `project` query parameter); outside the scope nothing remains. */
export function narrowScope(scope: SearchScope, projectId: string | undefined): SearchScope {
  if (!projectId) return scope
  if (scope.kind === 'all' || scope.projectIds.includes(projectId)) return { kind: 'projects', projectIds: [projectId] }
  return { kind: 'projects', projectIds: [] }
}
