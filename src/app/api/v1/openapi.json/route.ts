import { apiRoute, otherMethods } from '@/http/apiRoute'
import { buildOpenApiDocument } from '@/http/openapi/openApiDocument'

/** GET /api/v1/openapi.json — the OpenAPI 3.1 document of /api/v1 (public). */
export const GET = apiRoute(async () => buildOpenApiDocument({ serverUrl: process.env.NEXT_PUBLIC_SERVER_URL || undefined }), {
  isPublic: true,
  acceptsQuery: false,
})

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
