import { s3Storage } from '@payloadcms/storage-s3'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'
import sharp from 'sharp'

import { buildCollections } from './src/collections'
import { slugs } from './src/collections/slugs'
import { databaseAdapter, engineSettings } from './src/db/adapter'
import { type DatabaseEngine, describeEngine, detectDatabaseEngine } from './src/db/engine'
import { ensureSearchIndexes } from './src/db/indexes'
import { maxUploadBytes } from './src/domain/mediaRules'
import { auditFailedLogin } from './src/hooks/audit/auditFailedLogin'
import { answerInvalidDatabaseInput } from './src/hooks/answerInvalidDatabaseInput'
import { GRAPHQL_MAX_COMPLEXITY, MAX_DEPTH } from './src/lib/apiLimits'
import { env } from './src/lib/env'

const dirname = path.dirname(fileURLToPath(import.meta.url))

// The engine is known before Payload is configured, because FerretDB needs different adapter and auth
// settings. With no DATABASE_URL (next build) nothing connects and MongoDB defaults apply. Generated files
// (payload generate:types / generate:importmap) always describe the production (MongoDB) config, whatever
// database the shell points at, so they never differ between machines.
const databaseUrl = env.databaseUrl
const isGeneratingFiles = process.argv.some((arg) => arg.startsWith('generate:'))
const engine: DatabaseEngine | undefined =
  databaseUrl && !isGeneratingFiles ? await detectDatabaseEngine(databaseUrl) : undefined
const settings = engineSettings(engine)
const s3 = env.s3

export default buildConfig({
  admin: {
    user: slugs.users,
    importMap: { baseDir: path.resolve(dirname, 'src') },
    meta: { titleSuffix: ' · Movie Platform' },
    // Gravatar would need the network; initials work everywhere.
    avatar: 'default',
  },
  collections: buildCollections({ maxLoginAttempts: settings.maxLoginAttempts }),
  // Request caps (src/lib/apiLimits.ts): relationship depth for REST/Local, query cost for GraphQL.
  maxDepth: MAX_DEPTH,
  graphQL: { maxComplexity: GRAPHQL_MAX_COMPLEXITY },
  // Failed logins through REST and GraphQL are audited here, the only hook that sees a login's error.
  hooks: { afterError: [auditFailedLogin, answerInvalidDatabaseInput] },
  db: databaseAdapter(databaseUrl, engine, path.resolve(dirname, 'migrations')),
  secret: env.payloadSecret,
  serverURL: env.serverUrl,
  sharp,
  // The multipart parser stops buffering one byte past the media size limit and marks the file truncated; the
  // Media checkUploadSize hook then answers 400 (with abortOnLimit Payload would answer 413 with no field path).
  // The request cap leaves room for the form's other fields.
  upload: {
    abortOnLimit: false,
    limits: { fileSize: maxUploadBytes() + 1 },
    requestSizeLimit: maxUploadBytes() + 1024 * 1024,
  },
  typescript: { outputFile: path.resolve(dirname, 'src/payload-types.ts') },
  plugins: s3
    ? [
        s3Storage({
          collections: { [slugs.media]: true },
          bucket: s3.bucket,
          config: {
            endpoint: s3.endpoint,
            region: s3.region,
            forcePathStyle: s3.forcePathStyle,
            credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
            // R2 rejects the CRC checksums AWS SDK v3 sends by default; only send them when an API requires it.
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          },
        }),
      ]
    : [],
  onInit: async (payload) => {
    if (engine) payload.logger.info({ msg: `Database engine: ${describeEngine(engine)}` })
    await ensureSearchIndexes(payload, engine)
  },
})
