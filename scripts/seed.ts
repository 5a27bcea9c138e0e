/**
 * `npm run seed`: a realistic demo production (docs/OPERATIONS.md, "Seed") so a newcomer sees a full admin, or many
 * of them (`--scale N`) for benchmarks. Exit codes: 0 done, 1 failed, 2 bad arguments, database unreachable or
 * the database already has users (without --force).
 */
import { parseOrExit, payloadOrExit } from './lib/connect'

const usage = `Usage: npm run seed -- [--scale [N]] [--force]

  --scale N   build N copies of the demo production, each owned by a producer of its own (default 1)
  --scale     (no number) the demo plus a series at production size owned by the demo producer: 10 episodes,
              600 scenes, 5,000 media, 20,000 tasks, most of them finished (docs/OPERATIONS.md, "Production size";
              SEED_PRODUCTION_SIZE='{"episodes":2,"scenesPerEpisode":3,"media":10,"tasks":20}' shrinks it)
  --force     seed even though the database already has users (adds to what is there; the demo emails must
              still be free)

Creates the demo accounts (admin, producer, writer = a collaborator, outsider = a stranger) with passwords made
for this run and printed once at the end, then projects in several states, episodes with scripts, scenes with
dialogue and storyboards, characters with designs, media with real small images, tasks in every status, a prompt
template with executions, and a conversation session.

DATABASE_URL names the database (default: the development database of \`npm run db\`).
Exit codes: 0 done, 1 failed, 2 bad arguments, database unreachable or not empty (without --force).`

// A bare `--scale` (last, or followed by another option) asks for the production-size series.
const argv = process.argv.slice(2)
const bareScale = argv.findIndex((arg, i) => arg === '--scale' && (i === argv.length - 1 || argv[i + 1].startsWith('-')))
if (bareScale >= 0) argv.splice(bareScale, 1)
const { values } = await parseOrExit({ args: argv, options: { scale: { type: 'string' }, force: { type: 'boolean' } } }, usage)
const scale = Number(values.scale ?? 1)
if (!Number.isInteger(scale) || scale < 1 || scale > 10_000) {
  console.error(`--scale takes a whole number from 1 to 10000.\n\n${usage}`)
  process.exit(2)
}

const { payload, engineName } = await payloadOrExit()
const { seedDemoProduction, SEED_STEPS_PER_UNIT } = await import('../src/ops/seed/demoProduction')
const { productionSizeFromEnv, productionSeriesSteps } = await import('../src/ops/seed/productionSize')
const { startProgressBar } = await import('../src/lib/progressBar')

let exitCode = 0
try {
  console.log(`Engine: ${engineName}`)
  // overrideAccess: ops ask whether the database is empty, whoever its users are.
  const users = await payload.count({ collection: 'users', overrideAccess: true })
  if (users.totalDocs > 0 && !values.force) {
    console.error(`The database already has ${users.totalDocs} user(s); the seed is for an empty database. Pass --force to add the demo anyway.`)
    exitCode = 2
  } else {
    const production = bareScale >= 0 ? productionSizeFromEnv() : undefined
    const total = scale * SEED_STEPS_PER_UNIT + (production ? productionSeriesSteps(production) : 0)
    const progress = startProgressBar({ label: production ? 'seed, production size' : `seed ×${scale}`, total })
    const started = Date.now()
    const { credentials, counts } = await seedDemoProduction({ payload, scale, production, progress })
    progress.stop()
    console.log(`\nSeeded in ${((Date.now() - started) / 1000).toFixed(1)} s:`)
    for (const [slug, n] of Object.entries(counts)) console.log(`  ${slug.padEnd(18)} ${n}`)
    console.log('\nDemo accounts (passwords made for this run, shown only now):')
    for (const { email, role, password } of credentials) console.log(`  ${email.padEnd(22)} ${role.padEnd(9)} ${password}`)
    if (scale > 1) console.log(`  producer+1..${scale - 1}@demo.test own the other copies (random passwords; reset them from the admin).`)
    console.log(`\nSign in at ${process.env.NEXT_PUBLIC_SERVER_URL || 'http://localhost:3000'}/admin`)
  }
} catch (err) {
  console.error(`Seed failed: ${(err as Error).stack ?? (err as Error).message}`)
  exitCode = 1
}
await payload.destroy()
process.exit(exitCode)
