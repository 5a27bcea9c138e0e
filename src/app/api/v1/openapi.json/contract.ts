import { z } from 'zod'

import { defineRouteContract } from '@/http/openapi/routeContract'

const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.looseObject({})) })
  .meta({ id: 'OpenApiDocument' })

/** The contract of /api/v1/openapi.json (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/openapi.json', {
  get: {
    isPublic: true,
    operationId: 'getOpenApiDocument',
    summary: "This document: the OpenAPI 3.1 description of /api/v1, assembled from the routes' contracts",
    response: { status: 200, schema: openApiDocumentSchema, description: 'The document' },
    errors: [400],
  },
})
