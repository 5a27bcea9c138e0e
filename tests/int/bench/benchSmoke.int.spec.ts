import { describe, expect, inject, it } from 'vitest'

import { runCommand } from '../../helpers/runScript'

/**
 * Every benchmark in its smoke mode (`npm run bench:* -- --smoke`: a few iterations on little data), so a benchmark
 * that no longer runs on today's code fails CI. Nothing is asserted on speed: only that it ran to the end, exit 0,
 * and printed the figures it exists for. Each works in a database of its own on the tests' server and drops it.
 */
const benchmarks: { script: string; prints: RegExp[] }[] = [
  { script: 'bench', prints: [/ratio \(raw\/service/, /GET \/api\/v1\/projects\?status=production\s+\d+ commands/, /scene create\s+[\d.]+ commands/, /scene update \(title\)\s+[\d.]+ commands/, /scene delete\s+[\d.]+ commands/, /task enqueue\s+[\d.]+ commands/] },
  { script: 'bench:search', prints: [/Exact cosine top-10/, /search as a member of 50 projects\s+p50/] },
  { script: 'bench:query-limits', prints: [/aliased root lists \(issue 19\)/, /where: 200 or-branches/] },
  { script: 'bench:queue', prints: [/claims\/s/i, /double claims/i] },
  // Starts next start from the .next-test build the HTTP tests use (built once per test run).
  { script: 'bench:http', prints: [/raw driver \(find 20 \+ count\)/, /GET \/api\/v1\/projects\s+\d+/, /GraphQL Projects\(limit: 20\)\s+\d+/, /PATCH \/api\/scenes\/\{id\} \(title\)/] },
]

describe('benchmarks run in their smoke mode', () => {
  const databaseUrl = inject('databaseServerUri')
  for (const { script, prints } of benchmarks) {
    it(`npm run ${script} -- --smoke`, { timeout: 420_000 }, async () => {
      const { code, stdout, stderr } = await runCommand('npm', ['run', '--silent', script, '--', '--smoke'], { DATABASE_URL: databaseUrl })
      expect(code, `${script} exited ${code}\n${stdout}\n${stderr}`).toBe(0)
      for (const line of prints) expect(stdout).toMatch(line)
    })
  }
})
