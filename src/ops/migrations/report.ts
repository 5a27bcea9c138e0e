/**
 * What one migration step did, or would do in a dry run: how many documents it changed and the values it could
 * not migrate (duplicates, references to nothing), named so that ops can fix them by hand. Nothing is skipped
 * silently: every document a step leaves alone for a reason other than "already migrated" is listed here.
 */
export type MigrationReport = { step: string; changed: number; problems: string[] }

/** Prints reports for a person: one line per step, then its problems (the first 50 of each). */
export function formatReports(reports: MigrationReport[], { dryRun }: { dryRun: boolean }): string {
  const lines: string[] = []
  for (const report of reports) {
    lines.push(`${report.step}: ${report.changed} document(s) ${dryRun ? 'would change' : 'changed'}`)
    if (report.problems.length > 0) {
      lines.push(`  ${report.problems.length} problem(s):`)
      for (const problem of report.problems.slice(0, 50)) lines.push(`    - ${problem}`)
      if (report.problems.length > 50) lines.push(`    … and ${report.problems.length - 50} more`)
    }
  }
  return lines.join('\n')
}
