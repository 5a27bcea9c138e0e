import type { Payload } from 'payload'

import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { Redis } from 'ioredis'
import { access, constants } from 'node:fs/promises'
import path from 'node:path'

import { env } from '../lib/env'
import { findMediaTools } from '../lib/mediaTools/mediaTools'

export type CheckResult = { status: 'ok' | 'fail' | 'not-configured'; latencyMs?: number; error?: string; [key: string]: unknown }
export type HealthReport = {
  status: 'ok' | 'unavailable'
  checks: Record<'process' | 'database' | 'storage' | 'redis' | 'mediaTools', CheckResult>
}
/** What anyone may read: up or down, nothing about the engine, versions, dependencies or timings. */
export type PublicHealthReport = Pick<HealthReport, 'status'>

/**
 * The report as an anonymous caller gets it: only `status`. Everything under `checks` (engine and version,
 * latencies, which dependencies are configured, and any check added later) is detail for the holder of the metrics
 * token (`GET /api/health` with `Authorization: Bearer $METRICS_TOKEN`, docs/OPERATIONS.md).
 */
export function publicHealthReport(report: HealthReport): PublicHealthReport {
  return { status: report.status }
}

const CHECK_TIMEOUT_MS = 3000

/**
 * Readiness: every dependency the app cannot serve without answers within CHECK_TIMEOUT_MS. Errors are reduced to
 * their class (timeout, unreachable, refused) so nothing secret — hosts, credentials, bucket names — is shown.
 * `live` checks only that the process answers (a liveness probe must not fail when the database does).
 */
export async function checkHealth({ getPayload, live = false }: { getPayload: () => Promise<Payload>; live?: boolean }): Promise<HealthReport> {
  const processCheck: CheckResult = { status: 'ok', uptimeSeconds: Math.round(process.uptime()) }
  if (live) {
    const skipped: CheckResult = { status: 'not-configured', reason: 'liveness probe' }
    return { status: 'ok', checks: { process: processCheck, database: skipped, storage: skipped, redis: skipped, mediaTools: skipped } }
  }
  const [database, storage, redis, mediaTools] = await Promise.all([checkDatabase(getPayload), checkStorage(), checkRedis(), checkMediaTools()])
  const checks = { process: processCheck, database, storage, redis, mediaTools }
  const status = Object.values(checks).some((check) => check.status === 'fail') ? 'unavailable' : 'ok'
  return { status, checks }
}

async function timed(work: () => Promise<Record<string, unknown> | void>): Promise<CheckResult> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const extra = await Promise.race([
      work(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS))),
    ])
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 10) / 10, ...(extra ?? {}) }
  } catch (err) {
    return { status: 'fail', latencyMs: Math.round(performance.now() - started), error: errorClass(err) }
  } finally {
    clearTimeout(timer)
  }
}

function errorClass(err: unknown): string {
  const text = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''}`
  if (/timeout|timed out/i.test(text)) return 'timeout'
  if (/ECONNREFUSED|refused/i.test(text)) return 'connection refused'
  if (/auth|credential|denied|forbidden/i.test(text)) return 'access denied'
  if (/NotFound|NoSuchBucket|ENOENT/i.test(text)) return 'not found'
  return 'unreachable'
}

type EngineInfo = { kind: 'mongodb' | 'ferretdb'; version: string }
let engineInfo: EngineInfo | undefined

async function checkDatabase(getPayload: () => Promise<Payload>): Promise<CheckResult> {
  let payload: Payload | undefined
  const result = await timed(async () => {
    payload = await getPayload()
    await payload.db.connection.db!.admin().ping()
  })
  if (result.status === 'ok' && payload && !engineInfo) {
    // The engine and its real version (FerretDB announces itself in buildInfo), read once per process.
    const info = await payload.db.connection.db!.admin().buildInfo()
    engineInfo =
      typeof info.ferretdbVersion === 'string'
        ? { kind: 'ferretdb', version: String(info.ferretdbVersion) }
        : { kind: 'mongodb', version: String(info.version) }
  }
  return engineInfo ? { ...result, engine: engineInfo } : result
}

async function checkStorage(): Promise<CheckResult> {
  const s3 = env.s3
  if (!s3) {
    // Without a bucket, uploads go to ./media (the Media collection's staticDir). turbopackIgnore: the folder is data
    // written at run time, not a file the build should trace (tracing it while uploads land made `next build` panic
    // on a file that vanished mid-walk).
    return timed(async () => {
      const dir = path.resolve(/* turbopackIgnore: true */ process.cwd(), 'media')
      await access(/* turbopackIgnore: true */ dir, constants.W_OK).catch(async (err) => {
        // A missing folder is created by Payload on the first upload; its parent must be writable.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
        await access(/* turbopackIgnore: true */ path.dirname(dir), constants.W_OK)
      })
      return { kind: 'local' }
    })
  }
  return timed(async () => {
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      maxAttempts: 1,
    })
    try {
      await client.send(new HeadBucketCommand({ Bucket: s3.bucket }))
    } finally {
      client.destroy()
    }
    return { kind: 's3' }
  })
}

async function checkRedis(): Promise<CheckResult> {
  const url = process.env.REDIS_URL
  if (!url) return { status: 'not-configured' }
  return timed(async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: CHECK_TIMEOUT_MS, enableOfflineQueue: false })
    client.on('error', () => {}) // reported through the failed ping
    try {
      await client.connect()
      await client.ping()
    } finally {
      client.disconnect()
    }
  })
}

/**
 * ffmpeg/ffprobe (src/lib/mediaTools): the app serves without them, so their absence is reported, not a failure —
 * but a worker started here would not claim assembly tasks (docs/QUEUE.md). No paths or versions.
 */
async function checkMediaTools(): Promise<CheckResult> {
  const tools = await findMediaTools()
  if (tools.available) return { status: 'ok', ffmpeg: 'found', ffprobe: 'found' }
  return {
    status: 'not-configured',
    missing: (['ffmpeg', 'ffprobe'] as const).filter((tool) => 'error' in tools[tool]),
    effect: 'workers here do not claim scene_assembly, audio_generation (or local video_generation)',
  }
}
