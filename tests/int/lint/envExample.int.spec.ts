import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { projectRoot } from '../../helpers/runScript'

/**
 * .env.example names every variable the app, the worker and the ops scripts read, and nothing they do not: the
 * source is scanned for `process.env.X`, `env.X` / `vars.X` (functions handed process.env), `process.env['X']` and
 * variable names held in settings (`keyVar: 'X'`, `urlVar: 'X'`).
 */
const sources = ['src', 'scripts', 'payload.config.ts', 'next.config.mjs']
const read = [
  /\b(?:process\.env|env|vars)\.([A-Z][A-Z0-9_]+)\b/g,
  /process\.env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
  /\b\w*Var\s*:\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
]
/** Read by the code but set by Node.js, Next.js or the test set-up, never by an operator. */
const notSettings: Record<string, string> = {
  NODE_ENV: 'set by next start / next dev / vitest',
  NEXT_RUNTIME: 'set by Next.js (nodejs or edge)',
  NEXT_DIST_DIR: 'the tests build the app into .next-test',
  NODE_OPTIONS: 'Node.js flags, passed through by scripts/dev.mjs',
  RESTORE_CRASH_AT: 'fault-injection seam of the restore tests (src/db/backup/restore.ts)',
}
/** In .env.example but read by a tool the app runs on, not by its code. */
const readByTools: Record<string, string> = {
  PORT: 'next start / next dev',
  MINIO_ROOT_USER: 'docker-compose.yml (MinIO and the S3 keys of the app)',
  MINIO_ROOT_PASSWORD: 'docker-compose.yml (MinIO and the S3 keys of the app)',
  WORKER_CONCURRENCY: 'docker-compose.yml (the worker service)',
}

function* files(target: string): Generator<string> {
  const full = path.join(projectRoot, target)
  if (/\.(ts|tsx|mts|mjs)$/.test(target)) {
    yield full
    return
  }
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    if (entry.isDirectory()) yield* files(path.join(target, entry.name))
    else if (/\.(ts|tsx|mts|mjs)$/.test(entry.name) && entry.name !== 'payload-types.ts') yield path.join(full, entry.name)
  }
}

function variablesInCode(): Set<string> {
  const found = new Set<string>()
  for (const source of sources) {
    for (const file of files(source)) {
      const text = readFileSync(file, 'utf8')
      for (const pattern of read) for (const match of text.matchAll(pattern)) found.add(match[1])
    }
  }
  return found
}

function variablesInExample(): Set<string> {
  const text = readFileSync(path.join(projectRoot, '.env.example'), 'utf8')
  return new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]))
}

describe('.env.example', () => {
  const code = variablesInCode()
  const example = variablesInExample()

  it('the scan finds what the code reads (so the comparison can fail)', () => {
    expect([...code]).toEqual(expect.arrayContaining(['DATABASE_URL', 'PAYLOAD_SECRET', 'FAL_KEY', 'RATE_LIMIT_PREFIX', 'TASK_ARCHIVE_AGE', 'PROGRESS', 'PROJECT_EVENT_HISTORY', 'SSE_HEARTBEAT_MS', 'MAINTENANCE', 'BACKUP_INTERVAL']))
  })

  it('names every variable the code reads', () => {
    const missing = [...code].filter((name) => !example.has(name) && !(name in notSettings)).sort()
    expect(missing, 'add these to .env.example with a comment').toEqual([])
  })

  it('names nothing the code does not read', () => {
    const stale = [...example].filter((name) => !code.has(name) && !(name in readByTools)).sort()
    expect(stale, 'read by nothing: remove from .env.example').toEqual([])
  })

  it('lists what production needs at the top, as the start check requires it', () => {
    const header = readFileSync(path.join(projectRoot, '.env.example'), 'utf8').split('\n\n')[0]
    for (const name of ['DATABASE_URL', 'PAYLOAD_SECRET', 'NEXT_PUBLIC_SERVER_URL', 'SMTP_URL', 'MAIL_FROM', 'MAIL_OUTBOX_DIR', 'EMBEDDING_DIMENSIONS']) expect(header).toContain(name)
  })
})
