import { Validator } from '@seriousme/openapi-schema-validator'
import { expect, it } from 'vitest'

import { routeContracts } from '../../../../src/app/api/v1/contracts'
import { buildOpenApiDocument, endpointsOf } from '../../../../src/http/openapi/openApiDocument'

it('assembles a valid OpenAPI 3.1 document from the routes\' contracts', async () => {
  const document = buildOpenApiDocument(routeContracts, { serverUrl: 'http://localhost:3000' })
  const result = await new Validator().validate(document)
  expect(result.errors ?? []).toEqual([])
  expect(result.valid).toBe(true)
  // Every endpoint and method is documented, with a JSON error response for each error status it lists.
  for (const endpoint of endpointsOf(routeContracts)) {
    const operation = (document.paths[endpoint.path] as Record<string, { responses: Record<string, unknown> }>)[endpoint.method]
    expect(Object.keys(operation.responses).map(Number).sort()).toEqual([
      endpoint.response.status,
      ...(endpoint.noContent ? [204] : []),
      ...(endpoint.alternative ? [endpoint.alternative.status] : []),
      ...endpoint.errors,
    ].sort())
  }
  // Every $ref resolves to a component.
  const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1])
  for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty(ref)
})

it('rejects a document with a broken schema (the validator is not a no-op)', async () => {
  const document = buildOpenApiDocument(routeContracts) as unknown as { paths: Record<string, Record<string, { responses: unknown }>> }
  document.paths['/api/v1/tasks'].get.responses = 'none'
  expect((await new Validator().validate(document as never)).valid).toBe(false)
})
