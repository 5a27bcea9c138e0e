import { Validator } from '@seriousme/openapi-schema-validator'
import { expect, it } from 'vitest'

import { buildOpenApiDocument, endpoints } from '../../../../src/http/openapi/openApiDocument'

it('builds a valid OpenAPI 3.1 document from the zod schemas', async () => {
  const document = buildOpenApiDocument({ serverUrl: 'http://localhost:3000' })
  const result = await new Validator().validate(document)
  expect(result.errors ?? []).toEqual([])
  expect(result.valid).toBe(true)
  // Every endpoint and method is documented, with a JSON error response for each error status it lists.
  for (const endpoint of endpoints) {
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
  const document = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { responses: unknown }>> }
  document.paths['/api/v1/tasks'].get.responses = 'none'
  expect((await new Validator().validate(document as never)).valid).toBe(false)
})
