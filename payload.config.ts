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
import { env } from './src/lib/env'

const dirname = path.dirname(fileURLToPath(import.meta.url))

// The engine is known before Payload is configured, because FerretDB needs different adapter and auth
// settings. With no DATABASE_URL (next build, generate:types) nothing connects and MongoDB defaults apply.
const databaseUrl = env.databaseUrl
const engine: DatabaseEngine | undefined = databaseUrl ? await detectDatabaseEngine(databaseUrl) : undefined
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
  db: databaseAdapter(databaseUrl, engine),
  secret: env.payloadSecret,
  serverURL: env.serverUrl,
  sharp,
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
