import { unknownRoute } from '@/http/apiRoute'

/** Any /api/v1 path no route serves: 404 in the /api/v1 error body (not Next's or Payload's shape). */
export const { GET, POST, PUT, PATCH, DELETE } = unknownRoute
