import { spawn } from 'node:child_process'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

import { randomBytes } from 'node:crypto'

import { DEV_SECRET, missingProductionSettings } from '../../src/lib/env'
import { ensureTestAppBuild, root, testDistDir } from '../setup/appBuild'

describe('missingProductionSettings', () => {
  it('names each missing or unsafe variable', () => {
    expect(missingProductionSettings({})).toEqual([
      expect.stringContaining('DATABASE_URL'),
      expect.stringContaining('PAYLOAD_SECRET is not set'),
      expect.stringContaining('NEXT_PUBLIC_SERVER_URL'),
      expect.stringContaining('SMTP_URL is not set'),
    ])
    // Mail has its own cases (tests/int/lib/productionMail.int.spec.ts); here it is configured.
    const serverUrl = { NEXT_PUBLIC_SERVER_URL: 'https://studio.example.com', SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465', MAIL_FROM: 'no-reply@studio.example.com' }
    expect(missingProductionSettings({ DATABASE_URL: 'mongodb://db/x', PAYLOAD_SECRET: DEV_SECRET, ...serverUrl })).toEqual([
      expect.stringContaining('development secret'),
    ])
    expect(missingProductionSettings({ DATABASE_URL: 'mongodb://db/x', PAYLOAD_SECRET: 'short', ...serverUrl })).toEqual([
      expect.stringContaining('shorter than 32'),
    ])
    const secret = randomBytes(32).toString('hex')
    expect(missingProductionSettings({ DATABASE_URL: 'mongodb://db/x', PAYLOAD_SECRET: secret, MAIL_OUTBOX_DIR: '/srv/outbox' })).toEqual([
      expect.stringContaining('NEXT_PUBLIC_SERVER_URL'),
    ])
    expect(missingProductionSettings({ DATABASE_URL: 'mongodb://db/x', PAYLOAD_SECRET: secret, ...serverUrl })).toEqual([])
    expect(missingProductionSettings({ DATABASE_URL: 'mongodb://db/x', PAYLOAD_SECRET: 'x'.repeat(40), ...serverUrl })).toEqual([
      expect.stringContaining('placeholder'),
    ])
  })
})

describe('next start', () => {
  beforeAll(async () => ensureTestAppBuild())

  it('refuses to run on development defaults and says which variable is missing', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: testDistDir }
    delete env.DATABASE_URL
    delete env.PAYLOAD_SECRET
    delete env.SMTP_URL
    delete env.MAIL_OUTBOX_DIR
    const child = spawn(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', '0', '-H', '127.0.0.1'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const code = await new Promise((resolve) => child.once('exit', resolve))
    clearTimeout(timer)
    expect(code).toBe(1)
    expect(output).toContain('Refusing to start in production')
    expect(output).toContain('DATABASE_URL is not set')
    expect(output).toContain('PAYLOAD_SECRET is not set')
    expect(output).toContain('SMTP_URL is not set')
  })
})
