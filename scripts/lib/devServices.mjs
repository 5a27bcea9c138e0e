// What `npm run dev` adds to `next dev`: the AI provider it falls back to and the worker it runs beside the server.
// Development only — `npm start` and `npm run worker` never come here.
import nextEnv from '@next/env'

/** The provider keys whose absence makes `npm run dev` use the local provider (src/providers/providerSettings.ts). */
export const providerKeys = ['FAL_KEY', 'OPENROUTER_API_KEY', 'ELEVENLABS_API_KEY', 'JINA_API_KEY']

/**
 * The env `next dev` and the dev worker get: with AI_PROVIDER unset and no provider key set (in the environment or
 * the .env files Next.js reads), AI_PROVIDER=local, so a fresh checkout generates real media offline. Returns the
 * line to log once, or null when nothing was decided here.
 */
export function withDevProvider(env, projectRoot) {
  // The .env files Next.js would load, read without touching this process's environment.
  const { combinedEnv } = nextEnv.loadEnvConfig(projectRoot, true, { info: () => {}, error: () => {} }, true)
  const value = (name) => env[name] || combinedEnv[name] || ''
  if (value('AI_PROVIDER')) return { env, notice: null }
  if (providerKeys.some((name) => value(name))) return { env, notice: null }
  return {
    env: { ...env, AI_PROVIDER: 'local' },
    notice: `[ai] no provider key set (${providerKeys.join(', ')}): AI_PROVIDER=local — media are made offline by the local provider`,
  }
}

/** The dev worker runs unless DEV_WORKER=0 (or false/off). */
export const devWorkerEnabled = (env) => !['0', 'false', 'off', 'no'].includes(String(env.DEV_WORKER ?? '').toLowerCase())
