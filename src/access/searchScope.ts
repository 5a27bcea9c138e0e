import type { PayloadRequest } from 'payload'

import { getMemberProjectIds, getOpenTaskProjectIds } from './memberships'
import { isAdminUser, isApiKeyUser, isPerson } from './roles'
import { relationId } from '../domain/references'
import type { SearchScope } from '../model/searchScope'

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
