import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { projectRoot, runCommand } from '../../helpers/runScript'

/**
 * docs/OPERATIONS.md and README.md checked against the scripts, line by line: every `npm run NAME …` they show
 * names a script of package.json, and the script accepts that command line as written (run with `--help` added, so
 * an unknown flag is exit 2 and nothing acts); every flag a script's usage offers is documented in OPERATIONS.md.
 */
const packageScripts = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).scripts as Record<string, string>
/** Other tools' command lines (their flags are theirs): tests/int/scripts/scriptsCli.int.spec.ts lists why. */
const notOurs = new Set(['dev', 'build', 'start', 'payload', 'generate:types', 'generate:importmap', 'typecheck', 'lint', 'test', 'test:e2e'])
const nowhere = { DATABASE_URL: 'mongodb://127.0.0.1:9/never?serverSelectionTimeoutMS=500' }

type Invocation = { doc: string; line: number; name: string; args: string[]; text: string }

/** `npm run NAME [-- args]` in inline code and code blocks, with its arguments as an operator would type them. */
function invocations(doc: string): Invocation[] {
  const found: Invocation[] = []
  const lines = readFileSync(path.join(projectRoot, doc), 'utf8').split('\n')
  let inBlock = false
  lines.forEach((line, index) => {
    if (line.startsWith('```')) {
      inBlock = !inBlock
      return
    }
    const spans = inBlock ? [line.replace(/\s#\s.*$/, '')] : [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1])
    for (const span of spans) {
      for (const match of span.matchAll(/npm run ([a-z][\w:-]*)((?:\s+[^\s`]+)*)/g)) {
        const name = match[1]
        const tokens = match[2]
          .replace(/\\\|/g, ' ')
          .split(/\s+/)
          .map((token) => token.replace(/^\[|\]$/g, ''))
          .filter((token) => token && token !== '|' && token !== '/')
        // Stop where the command ends: a shell operator or the next command.
        const end = tokens.findIndex((token) => ['&&', ';', '||', 'npm', 'curl'].includes(token))
        const args = (end === -1 ? tokens : tokens.slice(0, end)).filter((token, position) => !(position === 0 && token === '--'))
        found.push({ doc, line: index + 1, name, args, text: match[0] })
      }
    }
  })
  return found
}

const documented = [...invocations('docs/OPERATIONS.md'), ...invocations('README.md')]
const checked = [...new Map(documented.filter((i) => !notOurs.has(i.name)).map((i) => [`${i.name} ${i.args.join(' ')}`, i])).values()]

describe('docs/OPERATIONS.md and README.md against the scripts', () => {
  it('finds the documented commands (so the checks below can fail)', () => {
    expect(checked.map((i) => i.name)).toEqual(expect.arrayContaining(['restore', 'retention', 'backup', 'migrate:down', 'tasks:archive', 'worker']))
    expect(checked.find((i) => i.name === 'restore' && i.args.includes('--drop'))).toBeDefined()
  })

  it('every documented `npm run NAME` is a script of package.json', () => {
    const unknown = documented.filter((i) => !(i.name in packageScripts)).map((i) => `${i.doc}:${i.line} ${i.text}`)
    expect(unknown).toEqual([])
  })

  it.each(checked.map((i) => [`${i.doc}:${i.line}`, i.text, i] as const))('%s `%s` is accepted as written', async (_where, _text, invocation) => {
    const result = await runCommand('npm', ['run', '-s', invocation.name, '--', ...invocation.args, '--help'], nowhere)
    expect(result.stderr).not.toMatch(/Unknown option|Unexpected argument/)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`Usage: npm run ${invocation.name}`)
  }, 120_000)

  it('every flag a script offers is documented in OPERATIONS.md', async () => {
    const operations = readFileSync(path.join(projectRoot, 'docs/OPERATIONS.md'), 'utf8')
    const opsScripts = ['backup', 'restore', 'retention', 'tasks:archive', 'migrate', 'migrate:down', 'migrate:status', 'db:indexes', 'db:search-indexes', 'db:stats', 'db:shard-plan', 'seed', 'worker']
    const undocumented: string[] = []
    for (const name of opsScripts) {
      const help = await runCommand('npm', ['run', '-s', name, '--', '--help'], nowhere)
      for (const flag of new Set(help.stdout.match(/--[a-z][a-z-]+/g) ?? [])) {
        if (flag === '--help') continue
        if (!operations.includes(flag)) undocumented.push(`${name} ${flag}`)
      }
    }
    expect(undocumented).toEqual([])
  }, 600_000)
})
