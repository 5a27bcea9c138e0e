import { missingProductionSettings } from './env'

/** Stops a production server that would run on development defaults, naming what is missing (Node.js runtime only). */
export function refuseUnsafeProductionStart() {
  if (process.env.NODE_ENV !== 'production') return
  const problems = missingProductionSettings()
  if (problems.length > 0) {
    console.error(`Refusing to start in production:\n  - ${problems.join('\n  - ')}\nSee .env.example.`)
    process.exit(1)
  }
}
