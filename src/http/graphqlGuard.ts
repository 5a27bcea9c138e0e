import type { SanitizedConfig } from 'payload'

import { configToSchema } from '@payloadcms/graphql'
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type GraphQLType,
  valueFromASTUntyped,
} from 'graphql'

import { AppError, QueryLimitError, ValidationError } from '../errors'
import { checkWhereBounds } from '../lib/query/whereBounds'
import { answerMemberIds } from './graphqlMemberIds'
import { DEFAULT_LIST_LIMIT, GRAPHQL_COST, GRAPHQL_LIMITS, MAX_LIST_LIMIT } from '../model/apiLimits'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response
type GraphQLParams = { query?: unknown; variables?: unknown; operationName?: unknown }
type Variables = Record<string, unknown>

/**
 * Wraps Payload's GraphQL route (GET and POST): the document is parsed and measured before graphql-http validates or
 * executes it, and refused with a 400 in the standard error shape (`errors[0].extensions.error`, code
 * QUERY_LIMIT_EXCEEDED, `details.limit` naming the bound) when it is over a bound of GRAPHQL_LIMITS (size, tokens,
 * depth, aliases, operations, cost) or one of its `where` arguments is over WHERE_LIMITS. Anything the guard cannot
 * read (no query, a body that is not JSON) goes on to graphql-http, which answers it as before.
 */
export function guardGraphQLCost<C>(
  handler: RouteHandler<C>,
  { config, renderError }: { config: Promise<SanitizedConfig> | SanitizedConfig; renderError: (err: AppError) => Response },
): RouteHandler<C> {
  return async (request, context) => {
    const params = await readParams(request)
    if (params && typeof params.query === 'string') {
      try {
        const schema = await payloadGraphQLSchema(config)
        checkGraphQLDocument({ schema, query: params.query, variables: asVariables(params.variables) })
      } catch (err) {
        if (err instanceof AppError) return renderError(err)
        throw err
      }
    }
    return handler(request, context)
  }
}

async function readParams(request: Request): Promise<GraphQLParams | undefined> {
  if (request.method === 'GET') {
    const search = new URL(request.url).searchParams
    let variables: unknown
    try {
      variables = search.get('variables') ? JSON.parse(search.get('variables')!) : undefined
    } catch {
      variables = undefined
    }
    return { query: search.get('query') ?? undefined, variables }
  }
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) return undefined
  try {
    const body = (await request.clone().json()) as unknown
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as GraphQLParams) : undefined
  } catch {
    return undefined
  }
}

function asVariables(value: unknown): Variables {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Variables) : {}
}

type SchemaCache = { graphql: { schema: GraphQLSchema } | null; promise: Promise<{ schema: GraphQLSchema }> | null }

/**
 * The schema Payload's GraphQL route executes against: built once per process and shared through the same global
 * cache @payloadcms/next's handler reads (`_payload_graphql`), so the route and the guard use one schema and it is
 * built once, whichever of them asks first. Project members answer their ids as on REST (src/http/graphqlMemberIds.ts).
 */
async function payloadGraphQLSchema(config: Promise<SanitizedConfig> | SanitizedConfig): Promise<GraphQLSchema> {
  const holder = globalThis as { _payload_graphql?: SchemaCache }
  const cached = (holder._payload_graphql ??= { graphql: null, promise: null })
  if (cached.graphql) return answerMemberIds(cached.graphql.schema)
  if (!cached.promise) {
    const resolved = await config
    cached.promise = cached.promise ?? Promise.resolve(configToSchema(resolved) as { schema: GraphQLSchema })
  }
  try {
    cached.graphql = await cached.promise
  } catch (err) {
    cached.promise = null
    throw err
  }
  return answerMemberIds(cached.graphql.schema)
}

function refuse(limit: keyof typeof GRAPHQL_LIMITS, value: number, what: string): never {
  const max = GRAPHQL_LIMITS[limit]
  throw new QueryLimitError({ limit: `graphql.${limit}`, max, value, message: `The GraphQL document ${what} (limit graphql.${limit}: ${max})` })
}

/**
 * Checks one GraphQL document against GRAPHQL_LIMITS and its `where` arguments against WHERE_LIMITS; throws
 * QueryLimitError (or ValidationError for a document that does not parse or spreads a fragment into itself).
 * Every operation of the document is costed (whichever is named runs).
 */
export function checkGraphQLDocument({ schema, query, variables = {} }: { schema: GraphQLSchema; query: string; variables?: Variables }): { cost: number } {
  if (query.length > GRAPHQL_LIMITS.maxDocumentChars) refuse('maxDocumentChars', query.length, `has ${query.length} characters`)
  let document: DocumentNode
  try {
    document = parse(query, { maxTokens: GRAPHQL_LIMITS.maxTokens, noLocation: true })
  } catch (err) {
    const message = (err as Error).message
    if (/more th\w+ \d+ tokens/i.test(message)) refuse('maxTokens', GRAPHQL_LIMITS.maxTokens + 1, `has more than ${GRAPHQL_LIMITS.maxTokens} tokens`)
    throw new ValidationError({ issues: [{ path: 'query', message }], message: `The GraphQL document does not parse: ${message}` })
  }
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  )
  if (operations.length > GRAPHQL_LIMITS.maxOperations) refuse('maxOperations', operations.length, `has ${operations.length} operations`)
  const aliases = countAliases(document)
  if (aliases > GRAPHQL_LIMITS.maxAliases) refuse('maxAliases', aliases, `has ${aliases} aliased fields`)
  const depthOf = fragmentDepths(fragments)
  for (const operation of operations) {
    const depth = selectionDepth(operation.selectionSet, depthOf)
    if (depth > GRAPHQL_LIMITS.maxDepth) refuse('maxDepth', depth, `nests selections ${depth} deep`)
  }
  const walked = { fields: 0 }
  for (const operation of operations) checkFieldRepeats(operation.selectionSet, fragments, walked)
  let highest = 0
  for (const operation of operations) {
    const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'query' ? schema.getQueryType() : null
    if (!root) continue // graphql-http refuses subscriptions and unknown roots itself
    const walker = new CostWalker({ fragments, variables, schema })
    const cost = walker.selectionCost({ selectionSet: operation.selectionSet, parentType: root, multiplier: 1, isRoot: true })
    if (cost > GRAPHQL_LIMITS.maxCost) {
      refuse('maxCost', cost, `costs ${cost > GRAPHQL_LIMITS.maxCost * 10 ? `over ${GRAPHQL_LIMITS.maxCost * 10}` : cost} (docs/API.md, "Query limits")`)
    }
    highest = Math.max(highest, cost)
  }
  return { cost: highest }
}

/**
 * Walks the document as validation does, schema-free (unknown fields included): per selection, fields grouped by
 * response key with fragments expanded; refuses a key repeated more than maxFieldRepeats times and a document whose
 * expanded fields pass maxFields (which also bounds this walk). Depth is already bounded, fragment cycles refused.
 */
function checkFieldRepeats(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, walked: { fields: number }): void {
  const groups = new Map<string, FieldNode[]>()
  const visited = new Set<string>()
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value
        groups.set(key, [...(groups.get(key) ?? []), selection])
        if (++walked.fields > GRAPHQL_LIMITS.maxFields) refuse('maxFields', walked.fields, `has more than ${GRAPHQL_LIMITS.maxFields} fields with its fragments expanded`)
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet)
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value)
        const fragment = fragments.get(selection.name.value)
        if (fragment) visit(fragment.selectionSet)
      }
    }
  }
  visit(selectionSet)
  for (const [key, nodes] of groups) {
    if (nodes.length > GRAPHQL_LIMITS.maxFieldRepeats) refuse('maxFieldRepeats', nodes.length, `selects "${key}" ${nodes.length} times in one selection`)
    const selections = nodes.flatMap((node) => node.selectionSet?.selections ?? [])
    if (selections.length > 0) checkFieldRepeats({ kind: Kind.SELECTION_SET, selections }, fragments, walked)
  }
}

function countAliases(document: DocumentNode): number {
  let count = 0
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.alias) count++
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet)
    }
  }
  for (const definition of document.definitions) if ('selectionSet' in definition) visit(definition.selectionSet)
  return count
}

/** Depth of each fragment, fragments expanded; a fragment that spreads itself (directly or not) is refused. */
function fragmentDepths(fragments: Map<string, FragmentDefinitionNode>): (name: string) => number {
  const depths = new Map<string, number>()
  const inProgress = new Set<string>()
  const depthOf = (name: string): number => {
    const known = depths.get(name)
    if (known !== undefined) return known
    const fragment = fragments.get(name)
    if (!fragment) return 0 // graphql-http's validation names the unknown fragment
    if (inProgress.has(name)) {
      throw new ValidationError({ issues: [{ path: 'query', message: `Fragment "${name}" spreads itself` }], message: `Fragment "${name}" spreads itself` })
    }
    inProgress.add(name)
    const depth = selectionDepth(fragment.selectionSet, depthOf)
    inProgress.delete(name)
    depths.set(name, depth)
    return depth
  }
  return depthOf
}

function selectionDepth(selectionSet: SelectionSetNode | undefined, depthOf: (name: string) => number): number {
  let deepest = 0
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, selection.selectionSet ? 1 + selectionDepth(selection.selectionSet, depthOf) : 1)
    else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, selectionDepth(selection.selectionSet, depthOf))
    else deepest = Math.max(deepest, depthOf(selection.name.value))
  }
  return deepest
}

/*
 * Types are told apart by shape, not graphql-js's instanceof checks: Payload's schema may come from the other build
 * of the graphql package (CommonJS beside ESM), and isObjectType would then say no to every type.
 */
type FieldsOf = Record<string, GraphQLField<unknown, unknown>>

function fieldsOf(type: GraphQLNamedType): FieldsOf | undefined {
  return 'getFields' in type && typeof type.getFields === 'function' && !('getPossibleTypes' in type && 'getTypes' in type) ? (type.getFields() as FieldsOf) : undefined
}

function namedType(type: GraphQLType): GraphQLNamedType {
  let current: GraphQLType = type
  while ('ofType' in current && current.ofType) current = current.ofType
  return current as GraphQLNamedType
}

/** A list, or a non-null list (`[Project]`, `[Project!]!`). */
function isList(type: GraphQLType): boolean {
  return String(type).startsWith('[')
}

/** A Payload page type (`Projects`, `versionsProjects`, a join): `docs` is a list of rows, `totalDocs` a count. */
function isPageType(type: GraphQLNamedType): boolean {
  const fields = fieldsOf(type)
  return Boolean(fields?.docs && fields.totalDocs && isList(fields.docs.type))
}

/**
 * The cost of a selection as the executor pays for it (docs/API.md, "Query limits"): fields are collected the way
 * graphql-js collects them (one per response key: a repeated field without alias runs once, every alias runs), each
 * counted once per row it is resolved on. A root field or a page is a query (GRAPHQL_COST.query); the rows of a page
 * are its `limit` (default DEFAULT_LIST_LIMIT, at most MAX_LIST_LIMIT as capListLimit serves it); a relationship
 * costs GRAPHQL_COST.relationship per row; a list inside a document GRAPHQL_COST.listRows rows. Introspection is a
 * flat query cost (the schema, no database). Walking stops once the cost is over the bound.
 */
class CostWalker {
  private readonly fragments: Map<string, FragmentDefinitionNode>
  private readonly variables: Variables
  private readonly schema: GraphQLSchema
  private total = 0

  constructor({ fragments, variables, schema }: { fragments: Map<string, FragmentDefinitionNode>; variables: Variables; schema: GraphQLSchema }) {
    this.fragments = fragments
    this.variables = variables
    this.schema = schema
  }

  selectionCost({ selectionSet, parentType, multiplier, isRoot = false, pageRows }: {
    selectionSet: SelectionSetNode
    parentType: GraphQLNamedType
    multiplier: number
    isRoot?: boolean
    pageRows?: number
  }): number {
    for (const { type, nodes } of this.collectFields(selectionSet, parentType)) {
      if (this.total > GRAPHQL_LIMITS.maxCost) break
      const node = nodes[0]!
      const name = node.name.value
      if (name === '__typename') continue
      if (name === '__schema' || name === '__type') {
        this.total += GRAPHQL_COST.query
        continue
      }
      const field = fieldsOf(type)?.[name]
      if (!field) continue // graphql-http's validation names the unknown field
      this.checkWhereArgument(node)
      const fieldType = namedType(field.type)
      const isPage = isPageType(fieldType)
      const isRelationship = typeof field.extensions?.complexity === 'number'
      this.total += multiplier * (isRoot || isPage ? GRAPHQL_COST.query : isRelationship ? GRAPHQL_COST.relationship : GRAPHQL_COST.field)
      const selections = nodes.flatMap((each) => each.selectionSet?.selections ?? [])
      if (selections.length === 0) continue
      const childSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections }
      let childMultiplier = multiplier
      if (pageRows !== undefined && name === 'docs') childMultiplier = multiplier * pageRows
      else if (isList(field.type)) childMultiplier = multiplier * GRAPHQL_COST.listRows
      this.selectionCost({
        selectionSet: childSet,
        parentType: fieldType,
        multiplier: childMultiplier,
        pageRows: isPage ? this.pageRows(node) : undefined,
      })
    }
    return this.total
  }

  /** Rows a page serves: its `limit` (a variable resolved), brought within MAX_LIST_LIMIT as capListLimit does. */
  private pageRows(node: FieldNode): number {
    const args = Object.fromEntries((node.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, this.variables)]))
    if (args.pagination === false) return MAX_LIST_LIMIT
    if (args.limit === undefined || args.limit === null) return DEFAULT_LIST_LIMIT
    const limit = Number(args.limit)
    return Number.isFinite(limit) && limit > 0 && limit <= MAX_LIST_LIMIT ? Math.ceil(limit) : MAX_LIST_LIMIT
  }

  private checkWhereArgument(node: FieldNode): void {
    const whereArgument = node.arguments?.find((arg) => arg.name.value === 'where')
    if (!whereArgument) return
    // Relationship paths cannot be written in Payload's GraphQL where inputs (a relationship takes ids), so only
    // branches, conditions and nesting apply here; the collection hook checks every path again at execution.
    checkWhereBounds(valueFromASTUntyped(whereArgument.value, this.variables), undefined, `"where" argument of ${node.name.value}`)
  }

  /**
   * graphql-js's collectFields: the fields a selection set runs, grouped by response key (alias or name), fragments
   * expanded (a fragment spread twice in one set runs once). Fields under a type condition are looked up on that
   * type; every possible type is counted (an upper bound for unions).
   */
  private collectFields(selectionSet: SelectionSetNode, parentType: GraphQLNamedType): { type: GraphQLNamedType; nodes: FieldNode[] }[] {
    const groups = new Map<string, { type: GraphQLNamedType; nodes: FieldNode[] }>()
    const visited = new Set<string>()
    const visit = (set: SelectionSetNode, type: GraphQLNamedType) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = `${type.name}:${selection.alias?.value ?? selection.name.value}`
          const group = groups.get(key)
          if (group) group.nodes.push(selection)
          else groups.set(key, { type, nodes: [selection] })
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet, this.conditionType(selection.typeCondition?.name.value, type))
        } else if (!visited.has(selection.name.value)) {
          visited.add(selection.name.value)
          const fragment = this.fragments.get(selection.name.value)
          if (fragment) visit(fragment.selectionSet, this.conditionType(fragment.typeCondition.name.value, type))
        }
      }
    }
    visit(selectionSet, parentType)
    return [...groups.values()]
  }

  private conditionType(name: string | undefined, fallback: GraphQLNamedType): GraphQLNamedType {
    const type = name ? this.schema.getType(name) : undefined
    return type && fieldsOf(type) ? type : fallback
  }
}
