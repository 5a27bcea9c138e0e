import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { parse } from 'yaml'

import { parseExposition, selectorsOf } from '../../helpers/promql'
import { projectRoot } from '../../helpers/runScript'

/** The check of the alert rules against /api/metrics (tests/e2e/ops/composeStack.e2e.spec.ts) reads what the rules really select. */
it('finds the metrics and labels of an expression, not its functions, keywords, numbers or label values', () => {
  expect(selectorsOf('sum by (collection, command) (increase(db_slow_commands_total{collection!="x"}[10m])) > 5 and time() - max(a_b) > 1.5e9 or vector(1)')).toEqual({
    metrics: [
      { name: 'db_slow_commands_total', labels: ['collection'] },
      { name: 'a_b', labels: [] },
    ],
    groupingLabels: ['collection', 'command'],
  })
  expect(selectorsOf('sum(rate(http_requests_total{status=~"5..|failed"}[5m])) / ignoring(job) up').metrics.map((metric) => metric.name)).toEqual(['http_requests_total', 'up'])
})

it('reads families and the label names of their samples from an exposition, histograms included', () => {
  const exposition = parseExposition(
    ['# HELP x_total h', '# TYPE x_total counter', 'x_total{a="1",b="2"} 3', '# TYPE d_seconds histogram', 'd_seconds_bucket{le="1",route="/"} 1', 'd_seconds_sum{route="/"} 1', '# TYPE g gauge', ''].join('\n'),
  )
  expect([...exposition.keys()]).toEqual(['x_total', 'd_seconds', 'g'])
  expect(exposition.get('x_total')!.labelSets.map((labels) => [...labels])).toEqual([['a', 'b']])
  expect(exposition.get('d_seconds')!.labelSets.some((labels) => labels.has('route'))).toBe(true)
  expect(exposition.get('g')!.labelSets).toEqual([])
})

it('every rule of monitoring/alerts.rules.yml has a name, an expression selecting at least one metric, a severity and a summary', () => {
  const { groups } = parse(readFileSync(path.join(projectRoot, 'monitoring/alerts.rules.yml'), 'utf8')) as {
    groups: { name: string; rules: { alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }[] }[]
  }
  const rules = groups.flatMap((group) => group.rules)
  expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length)
  for (const rule of rules) {
    expect(selectorsOf(rule.expr).metrics.length, rule.alert).toBeGreaterThan(0)
    expect(['warning', 'critical'], rule.alert).toContain(rule.labels.severity)
    expect(rule.annotations.summary, rule.alert).toBeTruthy()
  }
})
