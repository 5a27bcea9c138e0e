import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { missingProductionSettings } from '../../../src/lib/env'
import { TEST_SECRET } from '../../helpers/database'
import { projectRoot } from '../../helpers/runScript'

/** The production start check refuses every PAYLOAD_SECRET written anywhere in the repository. */
const skipped = new Set(['node_modules', '.git', '.next', '.cache', '.data', 'media', 'backups', 'package-lock.json', 'payload-types.ts'])
function* repositoryFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name) || entry.name.startsWith('.next')) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* repositoryFiles(full)
    else if (entry.isFile() && statSync(full).size < 2_000_000 && /\.(ts|tsx|mts|mjs|js|json|ya?ml|md|env|example|sh)$|^\.env|^run$/.test(entry.name)) yield full
  }
}

/** `PAYLOAD_SECRET=value`, `PAYLOAD_SECRET: value`, `PAYLOAD_SECRET ||= 'value'`, `secret: 'value'` (a Payload config). */
const assignment = /(?:PAYLOAD_SECRET\s*(?:\|\|=|\?\?=|=|:)|\bsecret:)\s*['"`]?([^'"`\s,})]+)/g

function secretsInRepository(): { file: string; value: string }[] {
  const found: { file: string; value: string }[] = []
  for (const file of repositoryFiles(projectRoot)) {
    for (const match of readFileSync(file, 'utf8').matchAll(assignment)) {
      const value = match[1]
      // Not literals: variables, interpolations, expressions.
      if (/^[$]|^process\.|^env\.|^[A-Z_]+$|^\w+\(|^[a-z][A-Za-z.]*$/.test(value) || value.length < 8) continue
      found.push({ file: path.relative(projectRoot, file), value })
    }
  }
  return found
}

describe('PAYLOAD_SECRET in production', () => {
  const safe = {
    DATABASE_URL: 'mongodb://db/app',
    NEXT_PUBLIC_SERVER_URL: 'https://studio.example.com',
    SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
    MAIL_FROM: 'no-reply@studio.example.com',
  }

  it('refuses every literal secret written in the repository', () => {
    const found = secretsInRepository()
    // The scan finds what is there today (the benchmarks' secret, the development one), so it can fail.
    expect(found.map((f) => f.value)).toEqual(expect.arrayContaining(['bench-secret-0123456789abcdef0123456789']))
    for (const { file, value } of found) {
      expect(missingProductionSettings({ ...safe, PAYLOAD_SECRET: value }), `${file}: ${value}`).not.toEqual([])
    }
  })

  it('refuses the placeholder docker-compose.yml used to carry, and obvious placeholders', () => {
    for (const value of ['change-me-to-32-or-more-random-characters', 'dev-only-secret-do-not-use-in-production', 'your-secret-here-please-replace-it-now', 'x'.repeat(48), 'ab'.repeat(20)]) {
      expect(missingProductionSettings({ ...safe, PAYLOAD_SECRET: value }), value).toEqual([expect.stringMatching(/placeholder|distinct|development secret/)])
    }
  })

  it('accepts a random secret, as `openssl rand -hex 32` makes (and the tests make theirs)', () => {
    expect(missingProductionSettings({ ...safe, PAYLOAD_SECRET: randomBytes(32).toString('hex') })).toEqual([])
    expect(missingProductionSettings({ ...safe, PAYLOAD_SECRET: TEST_SECRET })).toEqual([])
  })
})
