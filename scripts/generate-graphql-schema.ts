/**
 * `npm run generate:graphql-schema`: writes the GraphQL schema the app serves at /api/graphql to schema.graphql, for
 * frontends' code generators (introspection is off in production). Payload's schema with the app's changes to it
 * (src/http/graphqlMemberIds.ts). CI regenerates it and fails when the committed file differs (.ci/run).
 * Needs no database. Exit codes: 0 written, 2 bad arguments.
 */
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

import { configToSchema } from '@payloadcms/graphql'

import { answerMemberIds } from '../src/http/graphqlMemberIds'
import { parseOrExit } from './lib/connect'

await parseOrExit(
  { options: {} },
  `Usage: npm run generate:graphql-schema

Writes the GraphQL schema of /api/graphql (Payload's, with the app's changes) to schema.graphql at the repository
root. Needs no database. Exit codes: 0 written, 2 bad arguments.`,
)

// Printed with the copy of graphql that built the schema (its printer checks types by class).
const { printSchema } = createRequire(createRequire(import.meta.url).resolve('@payloadcms/graphql'))('graphql') as typeof import('graphql')
const config = await (await import('../payload.config')).default
const { schema } = configToSchema(config)
const file = path.resolve(import.meta.dirname, '..', 'schema.graphql')
writeFileSync(file, `${printSchema(answerMemberIds(schema))}\n`)
console.log(`Wrote ${path.relative(process.cwd(), file) || file}`)
