import type { GraphQLField, GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql'

/** The relationship fields to accounts whose ids GraphQL answers like REST, per type of Payload's schema. */
const memberFields: Record<string, string[]> = { Project: ['createdBy', 'collaborators'] }

const patched = new WeakSet<GraphQLSchema>()

const idOf = (value: unknown): string =>
  String(value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value)

/**
 * A project's members answer their ids on GraphQL as on REST (`collaborators { id }`, `createdBy { id }`).
 * Payload's GraphQL populates a relationship through the related collection's read access and leaves out what the
 * caller may not read — and a person reads only their own account (src/access/readUsers.ts) — so the owner saw
 * `collaborators: []` where REST answers the ids. An account the caller may not read is answered as `{ id }` alone,
 * its other fields null (names come from GET /api/v1/projects/{id}/collaborators), so `User.email` is nullable
 * (null exactly there); a readable account is answered as before. Applied once to the schema the GraphQL route
 * executes (src/http/graphqlGuard.ts builds it) and to the published schema.graphql (npm run generate:graphql-schema).
 */
export function answerMemberIds(schema: GraphQLSchema): GraphQLSchema {
  if (patched.has(schema)) return schema
  patched.add(schema)
  for (const [typeName, fields] of Object.entries(memberFields)) {
    const type = schema.getType(typeName) as GraphQLObjectType | undefined
    if (!type) continue
    for (const name of fields) {
      const field = type.getFields()[name]
      if (!field?.resolve) continue
      const populate: GraphQLFieldResolver<Record<string, unknown>, unknown> = field.resolve
      field.resolve = async (parent: Record<string, unknown>, args, context, info) => {
        const populated = await populate(parent, args, context, info)
        const stored = parent?.[name]
        if (Array.isArray(stored)) {
          const readable = new Map(((populated as unknown[] | null) ?? []).map((doc) => [idOf(doc), doc]))
          return stored.map((value) => readable.get(idOf(value)) ?? { id: idOf(value) })
        }
        return populated ?? (stored ? { id: idOf(stored) } : null)
      }
    }
  }
  const email = (schema.getType('User') as GraphQLObjectType | undefined)?.getFields().email as GraphQLField<unknown, unknown> | undefined
  // A non-null type wraps its type in `ofType` (checked by shape: Payload's schema may come from another copy of graphql).
  if (email && String(email.type).endsWith('!')) email.type = (email.type as unknown as { ofType: GraphQLField<unknown, unknown>['type'] }).ofType
  return schema
}
