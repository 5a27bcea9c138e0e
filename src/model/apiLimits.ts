/**
 * Caps on what one API request may ask for. REST and GraphQL `depth` is capped by Payload's `maxDepth`, GraphQL
 * query cost by `graphQL.maxComplexity` (a relationship counts 10, any other field 1), and the page size of a
 * REST/GraphQL list by capListLimit (src/hooks/capListLimit.ts).
 */
export const MAX_DEPTH = 3
export const MAX_LIST_LIMIT = 100
export const GRAPHQL_MAX_COMPLEXITY = 600
