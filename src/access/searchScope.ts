import type { PayloadRequest } from 'payload'

import { getMemberProjectIds, getOpenTaskProjectIds } from './memberships'
import { isAdminUser, isApiKeyUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'
import type { SearchScope } from '../search/searchScope'
import { slugs } from '../model/slugs'

const nothing: SearchScope = { kind: 'projects', projectIds: [] }

/**
 * What search and similarity may return of one collection: exactly what its read rule lets the caller read
 * (readProjectScoped, isProjectMember, readMedia — docs/ACCESS.md), for every kind of principal. Admins all; a
 * person the projects they are a member of, plus (media) what they uploaded without a project; a worker (API key)
 * only media, of projects with an open task — projects, episodes, scenes and characters are closed to workers;
 * anyone else nothing. tests/int/services/searchReadRules.int.spec.ts compares it with the read rules.
 */
export async function getSearchScope(req: PayloadRequest, collection: string): Promise<SearchScope> {
  const { user } = req
  const isMedia = collection === slugs.media
  if (isAdminUser(user)) return { kind: 'all' }
  if (isApiKeyUser(user)) return isMedia ? { kind: 'projects', projectIds: await getOpenTaskProjectIds(req) } : nothing
  if (!isPerson(user)) return nothing
  return { kind: 'projects', projectIds: await getMemberProjectIds(req), ...(isMedia ? { uploaderId: relationId(user!.id) } : {}) }
}

/** Narrows a scope to one project (the `project` query parameter); outside the scope nothing remains. */
export function narrowScope(scope: SearchScope, projectId: string | undefined): SearchScope {
  if (!projectId) return scope
  if (scope.kind === 'all' || scope.projectIds.includes(projectId)) return { kind: 'projects', projectIds: [projectId] }
  return { kind: 'projects', projectIds: [] }
}
