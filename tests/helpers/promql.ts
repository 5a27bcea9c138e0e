/**
 * Just enough of PromQL and the Prometheus text format to check alert rules against a /api/metrics answer: which
 * metrics an expression selects and which labels it relies on (matchers, by/without/on/ignoring lists), and which
 * metrics and labels an exposition holds. Not a parser: the rules file keeps to plain selectors and aggregations.
 */
const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan'])

export type SelectedMetric = { name: string; labels: string[] }

export function selectorsOf(expr: string): { metrics: SelectedMetric[]; groupingLabels: string[] } {
  const groupingLabels: string[] = []
  let rest = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, _keyword: string, list: string) => {
    groupingLabels.push(...list.split(',').map((label) => label.trim()).filter(Boolean))
    return ' '
  })
  rest = rest.replace(/\[[^\]]*\]/g, ' ') // range and subquery windows
  const metrics: SelectedMetric[] = []
  for (const match of rest.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{([^}]*)\})?/g)) {
    const [whole, name, , matchers] = match
    const after = rest.slice((match.index ?? 0) + whole.length).trimStart()
    if (keywords.has(name.toLowerCase()) || (after.startsWith('(') && !matchers)) continue
    const labels = [...(matchers ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((label) => label[1])
    metrics.push({ name, labels })
  }
  return { metrics, groupingLabels }
}

export type Exposition = Map<string, { type: string; labelSets: Set<string>[] }>

/** Metric families of a Prometheus text exposition, each with the label names of every sample. */
export function parseExposition(text: string): Exposition {
  const families: Exposition = new Map()
  const familyOf = (sample: string) => {
    if (families.has(sample)) return families.get(sample)!
    const base = sample.replace(/_(bucket|sum|count)$/, '')
    return families.get(base)
  }
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line)
    if (type) families.set(type[1], { type: type[2], labelSets: [] })
    if (!line || line.startsWith('#')) continue
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line)
    if (!sample) continue
    familyOf(sample[1])?.labelSets.push(new Set([...(sample[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((label) => label[1])))
  }
  return families
}
