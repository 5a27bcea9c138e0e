import { s3Storage } from '@payloadcms/storage-s3'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'
import sharp from 'sharp'

import { buildCollections } from './src/collections'
import { withInternalCollectionAccess } from './src/collections/internalCollections'
import { slugs } from './src/model/slugs'
import { databaseAdapter, engineSettings } from './src/db/adapter'
import { instrumentDatabase } from './src/db/commandMetrics'
import { retryLocalWrites } from './src/db/transientRetry'
import { warnOversizedEmbeddedCollections } from './src/db/embeddedSizeWarning'
import { type DatabaseEngine, describeEngine, detectDatabaseEngine } from './src/db/engine'
import { ensureAppIndexes, ensureSearchIndexes } from './src/db/indexes'
import { ensureQueueIndexes } from './src/queue/queueStore'
import { maxDecodedPixels, maxUploadBytes } from './src/domain/mediaRules'
import { errorLoggingLevels } from './src/errors/errorLoggingLevels'
import { renderPayloadError } from './src/errors/toErrorResponse'
import { auditFailedLogin } from './src/hooks/audit/auditFailedLogin'
import { GRAPHQL_MAX_COMPLEXITY, MAX_DEPTH } from './src/model/apiLimits'
import { getCache } from './src/lib/cache'
import { uniformGraphQLRegistration } from './src/collections/Users/uniformRegistration'
import { env, s3ClientConfig } from './src/lib/env'
import { describeMailer, emailAdapter } from './src/lib/mail/emailAdapter'

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

/**
 * sharp as Payload uses it (measuring, re-encoding, image sizes, crops and focal-point re-crops): no decode reads
 * more pixels than the media bounds allow, whatever reached it. Uploads are refused from their header before this
 * (src/collections/Media/hooks/prepareUploadedFile.ts); this is the backstop for every other path.
 */
const boundedSharp = ((input?: Parameters<typeof sharp>[0], options?: sharp.SharpOptions) =>
  sharp(input as never, { ...options, limitInputPixels: maxDecodedPixels() })) as typeof sharp

export default withInternalCollectionAccess(buildConfig({
  admin: {
    user: slugs.users,
    importMap: { baseDir: path.resolve(dirname, 'src') },
    meta: { titleSuffix: ' · Movie Platform' },
    // Gravatar would need the network; initials work everywhere.
    avatar: 'default',
    // The signed-in user's work above the collection cards (src/components/admin/Dashboard.tsx).
    // OfflineMonaco: JSON and code fields load their editor from the app, not a CDN (works offline).
    components: { beforeDashboard: ['@/components/admin/Dashboard#Dashboard'], providers: ['@/components/admin/OfflineMonaco#OfflineMonaco'] },
  },
  collections: buildCollections({ maxLoginAttempts: settings.maxLoginAttempts }),
  // Request caps (src/model/apiLimits.ts): relationship depth for REST/Local, query cost for GraphQL.
  maxDepth: MAX_DEPTH,
  // createUser answers alike for a new and a taken address (src/collections/Users/uniformRegistration.ts).
  graphQL: { maxComplexity: GRAPHQL_MAX_COMPLEXITY, mutations: (_graphQL, info) => uniformGraphQLRegistration(info) },
  // Expected refusals (a quota, an illegal status change, a malformed query) are answers to the caller, not faults:
  // one info line each, no stack; read off the error family (each class's logLevel). ProviderError and anything
  // unnamed stay errors.
  loggingLevels: errorLoggingLevels(),
  // Failed logins through REST and GraphQL are audited here, the only hook that sees a login's error.
  hooks: { afterError: [auditFailedLogin, renderPayloadError] },
  db: databaseAdapter(databaseUrl, engine, path.resolve(dirname, 'migrations')),
  secret: env.payloadSecret,
  serverURL: env.serverUrl,
  // A request authenticated by the session cookie counts only from these origins (a foreign Origin is anonymous),
  // and only they get CORS answers (docs/ACCESS.md, "Sessions").
  csrf: env.allowedOrigins,
  cors: env.allowedOrigins,
  sharp: boundedSharp,
  // SMTP_URL: real mail through that server; unset: the outbox keeps, logs and (MAIL_OUTBOX_DIR) files every
  // message (docs/ACCESS.md, "Mail").
  email: emailAdapter(),
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
          config: s3ClientConfig(s3),
        }),
      ]
    : [],
  onInit: async (payload) => {
    if (engine) payload.logger.info({ msg: `Database engine: ${describeEngine(engine)}` })
    payload.logger.info({ msg: `Mail: ${describeMailer()}` })
    instrumentDatabase(payload)
    // A Local API write that loses a transaction race on MongoDB runs again (services, the worker, scripts).
    retryLocalWrites(payload)
    await ensureSearchIndexes(payload, engine)
    await ensureAppIndexes(payload, engine)
    await ensureQueueIndexes(payload)
    // Connect the cache channel (Redis with REDIS_URL) now: created lazily by a fresh instance's first write, its
    // client would still be connecting when that write's invalidation is sent, and the other instances would miss it.
    getCache()
    // The embedded default slows down past a size (a scan per filter): say so once, with the numbers. Not awaited:
    // counting every collection must not delay start-up.
    void warnOversizedEmbeddedCollections(payload, engine).catch((err) => payload.logger.error({ err, msg: 'Could not count the collections' }))
  },
}))
