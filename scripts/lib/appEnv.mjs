// The app's configuration for scripts: the environment first, then the .env files of the directory they run from
// (npm runs every script from the project root, as `npm start` runs `next start`), loaded by @next/env exactly as
// Next.js loads them, so a script and the server it serves never act on two different databases.
import nextEnv from '@next/env'

/**
 * Loads .env files into process.env (set variables always win). `dev`: the development files as `next dev` reads
 * them; otherwise the production ones as `next start` does (NODE_ENV=test: the test ones, as Next does).
 */
export function loadAppEnv({ dev = process.env.NODE_ENV === 'development', dir = process.cwd() } = {}) {
  nextEnv.loadEnvConfig(dir, dev, { info: () => {}, error: console.error })
}
