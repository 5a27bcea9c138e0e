import config from '@payload-config'

import type { SearchDTO } from '@/services/schemas/searchSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { withRateLimit } from '@/http/withRateLimit'
import { searchService } from '@/services/searchService'

import { contract } from './contract'

/** GET /api/v1/search?q=&types=&project=&page=&limit= — ranked full-text hits among what the caller may read. */
export const GET = withRateLimit({
  policy: 'search',
  config,
  handler: apiRoute(({ actor, query }) => searchService.search(serviceArgs<SearchDTO>(query, { actor })), { contract: contract.operations.get }),
})

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
