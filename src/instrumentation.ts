import { missingProductionSettings } from './lib/env'

/** Runs once when the Next.js server starts: a production server refuses to start on development defaults. */
export function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NODE_ENV !== 'production') return
  const problems = missingProductionSettings()
  if (problems.length > 0) {
    console.error(`Refusing to start in production:\n  - ${problems.join('\n  - ')}\nSee .env.example.`)
    process.exit(1)
  }
}
