/**
 * Lints the /api/v1 OpenAPI document with Redocly's `recommended-strict` rules (unique operationIds, servers,
 * license, 4xx responses, …; warnings count as errors). The document is built from the source as the app serves it
 * and written to .cache/openapi.json. Runs offline (telemetry and update checks off). Usage: npm run lint:openapi
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { routeContracts } from '../src/app/api/v1/contracts'
import { buildOpenApiDocument } from '../src/http/openapi/openApiDocument'
import { parseOrExit } from './lib/connect'

parseOrExit(
  { options: {} },
  `Usage: npm run lint:openapi

Builds the /api/v1 OpenAPI document from the routes' contracts (written to .cache/openapi.json) and lints it with Redocly's
recommended-strict rules, offline. Exit codes: 0 clean, 1 problems found, 2 bad arguments.`,
)

const root = path.resolve(import.meta.dirname, '..')
const file = path.join(root, '.cache', 'openapi.json')
mkdirSync(path.dirname(file), { recursive: true })
writeFileSync(file, JSON.stringify(buildOpenApiDocument(routeContracts), null, 2))
const result = spawnSync(path.join(root, 'node_modules/.bin/redocly'), ['lint', '--extends', 'recommended-strict', file], {
  stdio: 'inherit',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
})
process.exit(result.status ?? 1)
