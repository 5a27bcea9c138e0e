import type { GraphQLSchema } from 'graphql'
import type { Payload } from 'payload'

import { configToSchema } from '@payloadcms/graphql'
import { getIntrospectionQuery } from 'graphql'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { QueryLimitError } from '../../../src/errors'
import { checkGraphQLDocument } from '../../../src/http/graphqlGuard'
import { GRAPHQL_LIMITS, WHERE_LIMITS } from '../../../src/model/apiLimits'
import { createTestPayload } from '../../helpers/payload'
import { realisticFrontendQueries } from '../../helpers/graphqlQueries'

/**
 * The GraphQL guard's measure of a document (src/http/graphqlGuard.ts) on the app's real schema: what a frontend
 * sends stays under every bound, the alias attack of issue 19 and its neighbours are over one, and the refusal
 * names the bound. (Over HTTP: tests/e2e/api/queryLimits.e2e.spec.ts.)
 */
// Payload's schema is built by the CommonJS build of graphql; validate with that same build (instanceof checks).
const graphqlOfPayload = createRequire(createRequire(import.meta.url).resolve('@payloadcms/graphql'))('graphql') as typeof import('graphql')
const validateAgainst = (schema: GraphQLSchema, query: string) => graphqlOfPayload.validate(schema, graphqlOfPayload.parse(query))

let payload: Payload
let cleanup: () => Promise<void>
let schema: GraphQLSchema

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('graphql-guard'))
  schema = configToSchema(payload.config).schema
}, 120_000)
afterAll(async () => cleanup?.())

function refusal(query: string, variables?: Record<string, unknown>): QueryLimitError {
  try {
    checkGraphQLDocument({ schema, query, variables })
  } catch (err) {
    if (err instanceof QueryLimitError) return err
    throw err
  }
  throw new Error(`not refused: ${query.slice(0, 200)}`)
}

describe('what a frontend sends passes', () => {
  it.each(Object.entries(realisticFrontendQueries))('%s', (_name, { query, variables }) => {
    // A query the schema does not accept would prove nothing: each is valid as written.
    expect(validateAgainst(schema, query).map((error) => error.message)).toEqual([])
    const { cost } = checkGraphQLDocument({ schema, query, variables })
    expect(cost).toBeGreaterThan(0)
    expect(cost).toBeLessThanOrEqual(GRAPHQL_LIMITS.maxCost * 0.75) // room to spare, not just under the cap
    console.info(`GraphQL cost of ${_name}: ${cost}`)
  })

  it('the standard introspection query (codegen, GraphiQL)', () => {
    expect(checkGraphQLDocument({ schema, query: getIntrospectionQuery() }).cost).toBeLessThanOrEqual(GRAPHQL_LIMITS.maxCost)
  })
})

describe('what the executor would pay for is counted', () => {
  it('every alias of a root list is a query: the issue-19 attack (280 aliased lists) is refused on cost, within the alias bound too', () => {
    const query = `{ ${Array.from({ length: 280 }, (_, i) => `a${i}: Projects(page: ${i + 1}) { totalDocs }`).join(' ')} }`
    expect(refusal(query).details).toMatchObject({ limit: 'graphql.maxAliases', max: GRAPHQL_LIMITS.maxAliases, value: 280 })
    const withinAliases = `{ ${Array.from({ length: GRAPHQL_LIMITS.maxAliases }, (_, i) => `a${i}: Projects(page: ${i + 1}) { totalDocs }`).join(' ')} }`
    expect(refusal(withinAliases).details).toMatchObject({ limit: 'graphql.maxCost' })
  })

  it('distinct root fields without aliases count one query each', () => {
    const roots = ['Projects', 'Episodes', 'Scenes', 'Characters', 'allMedia', 'Tasks', 'PromptTemplates', 'PromptsExecuteds', 'Sessions', 'Users']
    const counts = roots.map((root) => `count${root === 'allMedia' ? 'allMedia' : root} { totalDocs }`)
    const query = `{ ${roots.map((root) => `${root} { totalDocs }`).join(' ')} ${counts.join(' ')} ${roots.map((root) => `docAccess${root.replace(/s$/, '')}(id: "x") { __typename }`).join(' ')} }`
    const { cost } = (() => {
      try {
        return checkGraphQLDocument({ schema, query })
      } catch (err) {
        if (err instanceof QueryLimitError) return { cost: err.details!.value }
        throw err
      }
    })()
    expect(cost).toBeGreaterThanOrEqual(20 * 200)
  })

  it('a repeated field without alias runs once and counts once; an aliased copy counts again', () => {
    const once = checkGraphQLDocument({ schema, query: '{ Projects(limit: 50) { docs { id title } } }' }).cost
    const repeated = checkGraphQLDocument({ schema, query: '{ Projects(limit: 50) { docs { id title } } Projects(limit: 50) { docs { id title } } }' }).cost
    const aliased = checkGraphQLDocument({ schema, query: '{ Projects(limit: 50) { docs { id title } } b: Projects(limit: 50) { docs { id title } } }' }).cost
    expect(repeated).toBe(once)
    expect(aliased).toBe(once * 2)
  })

  it('nested lists multiply by their page size; aliases on a nested relationship count per row', () => {
    const small = checkGraphQLDocument({ schema, query: '{ Projects(limit: 10) { docs { createdBy { email } } } }' }).cost
    const large = checkGraphQLDocument({ schema, query: '{ Projects(limit: 100) { docs { createdBy { email } } } }' }).cost
    expect(large - 200).toBeGreaterThanOrEqual((small - 200) * 9)
    const aliases = Array.from({ length: 25 }, (_, i) => `c${i}: createdBy { email }`).join(' ')
    expect(refusal(`{ Projects(limit: 100) { docs { ${aliases} } } }`).details).toMatchObject({ limit: 'graphql.maxCost' })
    // The page size is read from variables too, and pagination: false is a page of 100.
    const viaVariable = checkGraphQLDocument({ schema, query: 'query($n: Int) { Projects(limit: $n) { docs { createdBy { email } } } }', variables: { n: 100 } }).cost
    expect(viaVariable).toBe(large)
    expect(checkGraphQLDocument({ schema, query: '{ Projects(pagination: false) { docs { createdBy { email } } } }' }).cost).toBe(large)
    expect(checkGraphQLDocument({ schema, query: '{ Projects(limit: 0) { docs { createdBy { email } } } }' }).cost).toBe(large)
  })

  it('fragments are expanded where they are spread (and each spread of another alias counts)', () => {
    const fields = 'fragment P on Project { id title createdBy { email name } collaborators { email } }'
    const one = checkGraphQLDocument({ schema, query: `{ Projects(limit: 100) { docs { ...P } } } ${fields}` }).cost
    expect(one).toBeGreaterThan(100 * 10)
    const spreads = Array.from({ length: 8 }, (_, i) => `p${i}: Projects(limit: 100, page: ${i + 1}) { docs { ...P } }`).join(' ')
    expect(refusal(`{ ${spreads} } ${fields}`).details).toMatchObject({ limit: 'graphql.maxCost' })
  })

  it('a fragment spread again in the same selection runs once and counts once, as graphql-js collects it', () => {
    const fragment = 'fragment U on User { id email name }'
    const once = checkGraphQLDocument({ schema, query: `{ Projects(limit: 100) { docs { createdBy { ...U } } } } ${fragment}` }).cost
    const again = checkGraphQLDocument({ schema, query: `{ Projects(limit: 100) { docs { createdBy { ...U ...U ...U } } } } ${fragment}` }).cost
    expect(again).toBe(once)
    const twoAliases = checkGraphQLDocument({ schema, query: `{ Projects(limit: 100) { docs { a: createdBy { ...U } b: createdBy { ...U } } } } ${fragment}` }).cost
    expect(twoAliases - 200).toBe((once - 200 - 1) * 2 + 1)
  })

  it('bounds the document: size, tokens, depth, operations, a fragment spreading itself', () => {
    expect(refusal(`{ Projects { docs { title } } } # ${'x'.repeat(GRAPHQL_LIMITS.maxDocumentChars)}`).details).toMatchObject({ limit: 'graphql.maxDocumentChars' })
    expect(refusal(`{ ${'a '.repeat(GRAPHQL_LIMITS.maxTokens)} }`).details).toMatchObject({ limit: 'graphql.maxTokens' })
    const deep = `{ Projects { docs { ${'projectSettings { '.repeat(1)}${'a: __typename '}} } } }`
    expect(() => checkGraphQLDocument({ schema, query: deep.replace('projectSettings { a: __typename } } } }', 'projectSettings { aspectRatio } } } }') })).not.toThrow()
    const nested = `{ ${'__type(name: "Project") { fields { type { '.repeat(6)} name ${'} } } '.repeat(6)} }`
    expect(refusal(nested).details).toMatchObject({ limit: 'graphql.maxDepth' })
    const operations = Array.from({ length: GRAPHQL_LIMITS.maxOperations + 1 }, (_, i) => `query Q${i} { meUser { user { id } } }`).join(' ')
    expect(refusal(operations).details).toMatchObject({ limit: 'graphql.maxOperations', value: GRAPHQL_LIMITS.maxOperations + 1 })
    expect(() => checkGraphQLDocument({ schema, query: '{ Projects { docs { ...A } } } fragment A on Project { createdBy { ...B } } fragment B on User { id ...A2 } fragment A2 on User { ...B }' })).toThrow(/spreads itself/)
  })

  it('bounds repeated fields (quadratic in validation) and the fields a document expands to', () => {
    expect(refusal(`{ Projects { docs { ${'createdBy { id } '.repeat(500)} } } }`).details).toMatchObject({ limit: 'graphql.maxFieldRepeats', value: 500 })
    // Under an unknown field too (validation compares them before it reports the field), and through fragments.
    expect(refusal(`{ nothing { ${'id '.repeat(GRAPHQL_LIMITS.maxFieldRepeats + 1)} } }`).details).toMatchObject({ limit: 'graphql.maxFieldRepeats' })
    const fragments = Array.from({ length: 50 }, (_, i) => `fragment F${i} on Project { createdBy { id } }`).join(' ')
    const spreads = Array.from({ length: 50 }, (_, i) => `...F${i}`).join(' ')
    expect(refusal(`{ Projects { docs { ${spreads} } } } ${fragments}`).details).toMatchObject({ limit: 'graphql.maxFieldRepeats', value: 50 })
    // Fragments that fan out at every level (three spreads each, eight levels): 3^8 expanded fields from 1 KB.
    const levels = 8
    const fanOut = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment T${i} on __Type { name }` : `fragment T${i} on __Type { kind name ofType { ...T${i + 1} } interfaces { ...T${i + 1} } possibleTypes { ...T${i + 1} } }`,
    ).join(' ')
    expect(refusal(`{ __type(name: "Project") { ...T0 } } ${fanOut}`).details).toMatchObject({ limit: 'graphql.maxFields' })
    // A few repeats, as fragments sharing `id` produce, are fine.
    expect(() => checkGraphQLDocument({ schema, query: '{ Projects { docs { id ...A ...B } } } fragment A on Project { id title } fragment B on Project { id status }' })).not.toThrow()
  })

  it('bounds the where arguments (literal and variables)', () => {
    const branches = Array.from({ length: WHERE_LIMITS.maxBranches + 1 }, (_, i) => `{ title: { equals: "t${i}" } }`).join(' ')
    expect(refusal(`{ Projects(where: { OR: [${branches}] }) { totalDocs } }`).details).toMatchObject({ limit: 'where.branches' })
    const or = Array.from({ length: 200 }, (_, i) => ({ title: { equals: `t${i}` } }))
    expect(refusal('query($w: Project_where) { Projects(where: $w) { totalDocs } }', { w: { OR: or } }).details).toMatchObject({ limit: 'where.branches' })
    let nested: Record<string, unknown> = { title: { equals: 'x' } }
    for (let i = 0; i < WHERE_LIMITS.maxDepth + 1; i++) nested = { AND: [nested] }
    expect(refusal('query($w: Project_where) { Projects(where: $w) { totalDocs } }', { w: nested }).details).toMatchObject({ limit: 'where.depth' })
  })
})
