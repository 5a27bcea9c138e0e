/**
 * Caps on what one API request may ask for. REST and GraphQL `depth` is capped by Payload's `maxDepth`, the page
 * size of a REST/GraphQL list by capListLimit (src/hooks/capListLimit.ts), a GraphQL document by GRAPHQL_LIMITS
 * (src/http/graphqlGuard.ts) and a `where` filter by WHERE_LIMITS (src/lib/query/whereBounds.ts, every API).
 * docs/API.md ("Query limits") gives the cost formula and shows a realistic frontend's queries beside the caps.
 */
export const MAX_DEPTH = 3
export const MAX_LIST_LIMIT = 100
/** Page size Payload uses for a list when the request names none. */
export const DEFAULT_LIST_LIMIT = 10

/** Weights of the GraphQL cost: what the executor pays for each field it resolves, per row it resolves it on. */
export const GRAPHQL_COST = {
  /** A root field (a collection query, a count, a document by id, a mutation, `Access`, `me…`) or a paginated
   *  list inside a document: a database query (a list also counts its total). */
  query: 200,
  /** A relationship or upload field: one related document read and populated (per row). */
  relationship: 10,
  /** Any other field (per row). `__typename` is free. */
  field: 1,
  /** Rows assumed for a list inside a document (array fields, hasMany relationships), whose length is only known
   *  once executed. */
  listRows: 10,
} as const

/** Bounds on one GraphQL document, checked before it is validated or executed. */
export const GRAPHQL_LIMITS = {
  /** The query text, in characters. */
  maxDocumentChars: 32_000,
  /** Lexical tokens (graphql-js `parse` stops counting past this). */
  maxTokens: 8_000,
  /** Nesting of selections (fragments expanded). The standard introspection query is 13 deep. */
  maxDepth: 15,
  /** Aliased fields in the document. */
  maxAliases: 30,
  /** Fields with fragments expanded where they are spread (what validation and execution walk). */
  maxFields: 2_000,
  /** Fields of one response key in one selection, fragments expanded: graphql-js's validation compares every pair
   *  of them (OverlappingFieldsCanBeMerged), so 500 copies of `createdBy { id }` cost seconds before anything runs. */
  maxFieldRepeats: 10,
  /** Operations in the document (one of them runs). */
  maxOperations: 10,
  /** Cost of one operation (GRAPHQL_COST). */
  maxCost: 5_000,
} as const

/** Payload's own complexity rule (relationships 10, other fields 1, no multipliers) is a backstop: it never
 *  counts more than GRAPHQL_COST does, so it never refuses what the guard accepts. */
export const GRAPHQL_MAX_COMPLEXITY = GRAPHQL_LIMITS.maxCost

/** Bounds on one `where` filter (REST query string or method-override body, GraphQL `where` arguments, /api/v1). */
export const WHERE_LIMITS = {
  /** Items of every `and` / `or` list together. */
  maxBranches: 30,
  /** Field conditions (`{ field: { operator: value } }`), every operator counted. */
  maxConditions: 40,
  /** Nesting of `and` / `or`. */
  maxDepth: 5,
  /** Conditions on a related document's field (`createdBy.email`, `project.title`): each is a query of the related
   *  collection before the main one, a path through two relationships counts two. */
  maxRelationshipPaths: 5,
} as const

/** Longest prompt a template may render to (render, execute, the worker's attempt): 200,000 characters. */
export const MAX_RENDERED_PROMPT_CHARS = 200_000

/** Largest uploaded text (a screenplay, a shot list) the import endpoints read: 1 MB; larger is a 413. */
export const MAX_UPLOADED_TEXT_BYTES = 1_000_000
