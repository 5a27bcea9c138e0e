import { type SearchSource, valuesAt } from './searchSources'

/** Search terms: lower-cased words of at least two characters, at most 8 (longer queries add cost, not precision). */
export function tokenize(q: string): string[] {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2)
  return [...new Set(words)].slice(0, 8)
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function occurrences(haystack: string, needle: string): number {
  let count = 0
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++
  return count
}

/**
 * The fallback's relevance, computed on the fields the scan returned: for each field and term,
 * weight × (1 + ln(occurrences)) (repeated words count, with diminishing returns, like $text's term frequency),
 * plus a bonus of half the field's weight when the field holds the whole query as a phrase, all divided by
 * the number of terms so scores of short and long queries are comparable. Matching is case-insensitive
 * substring matching, the same rule the scan's regular expressions use, so every scanned document scores > 0.
 */
export function scoreDocument(source: SearchSource, doc: unknown, terms: string[], phrase: string): number {
  let score = 0
  for (const field of source.fields) {
    const text = valuesAt(doc, field.path).join('\n').toLowerCase()
    if (!text) continue
    for (const term of terms) {
      const count = occurrences(text, term)
      if (count > 0) score += field.weight * (1 + Math.log(count))
    }
    if (terms.length > 1 && text.includes(phrase)) score += field.weight / 2
  }
  return score / Math.max(terms.length, 1)
}

const SNIPPET_CHARS = 160

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!)

/**
 * A short excerpt of the heaviest field that contains a term, HTML-escaped, with each term occurrence wrapped in
 * <mark>. The same function serves every backend, so hits look alike whichever engine ranked them.
 */
export function highlightSnippet(source: SearchSource, doc: unknown, terms: string[]): string {
  const pattern = terms.length ? new RegExp(terms.map(escapeRegex).join('|'), 'gi') : undefined
  let text = ''
  let at = -1
  for (const field of source.fields) {
    for (const value of valuesAt(doc, field.path)) {
      const found = pattern ? value.search(pattern) : -1
      if (found !== -1) {
        text = value
        at = found
        break
      }
    }
    if (at !== -1) break
  }
  if (at === -1) text = valuesAt(doc, source.fields[0].path)[0] ?? ''
  const start = Math.max(0, at - SNIPPET_CHARS / 4)
  const excerpt = text.slice(start, start + SNIPPET_CHARS)
  const marked = pattern
    ? excerpt
        .split(new RegExp(`(${terms.map(escapeRegex).join('|')})`, 'gi'))
        .map((part, index) => (index % 2 === 1 ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
        .join('')
    : escapeHtml(excerpt)
  return `${start > 0 ? '…' : ''}${marked}${start + SNIPPET_CHARS < text.length ? '…' : ''}`
}
