import { apiRoute, otherMethods } from '@/http/apiRoute'
import { buildOpenApiDocument } from '@/http/openapi/openApiDocument'

import { routeContracts } from '../contracts'
import { contract } from './contract'

/** GET /api/v1/openapi.json — the OpenAPI 3.1 document of /api/v1 (public), assembled from the routes' contracts. */
export const GET = apiRoute(async () => buildOpenApiDocument(routeContracts, { serverUrl: process.env.NEXT_PUBLIC_SERVER_URL || undefined }), {
  contract: contract.operations.get,
})

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
