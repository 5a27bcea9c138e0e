import { describe, expect, it } from 'vitest'

import {
  checkOutputSchema,
  checkTemplateVariables,
  findPlaceholders,
  renderTemplate,
  resolveVariables,
  validateOutput,
  type VariableDef,
  type VariableType,
} from '../../../src/domain/promptTemplates'
import { ValidationError } from '../../../src/errors'
import { MAX_RENDERED_PROMPT_CHARS } from '../../../src/model/apiLimits'

/** Rendering rules of src/domain/promptTemplates.ts, table-driven over every variable type. */
const render = (template: string, variableDefs: VariableDef[], inputs: Record<string, unknown>) => {
  const { values, issues } = resolveVariables({ variableDefs, inputs })
  return { issues, text: issues.length ? undefined : renderTemplate({ template, values }) }
}

describe('placeholders', () => {
  it('finds names in first-use order, allows inner spaces, and treats \\{{ as a literal', () => {
    expect(findPlaceholders('{{b}} {{ a }} {{b}} \\{{c}} {{ not-a-name }}')).toEqual(['b', 'a'])
    expect(renderTemplate({ template: 'Use \\{{x}} for {{ x }}.', values: { x: 'y' } })).toBe('Use {{x}} for y.')
  })

  it('bounds the rendered size: a placeholder repeated over a large input is a 400 on inputs naming the limit', () => {
    const template = Array.from({ length: 11 }, () => '{{x}}').join('\n')
    const large = 'a'.repeat(Math.ceil(MAX_RENDERED_PROMPT_CHARS / 10))
    let refusal: unknown
    try {
      renderTemplate({ template, values: { x: large } })
    } catch (err) {
      refusal = err
    }
    expect(refusal).toBeInstanceOf(ValidationError)
    expect((refusal as ValidationError).status).toBe(400)
    expect((refusal as ValidationError).issues).toEqual([{ path: 'inputs', message: expect.stringContaining(`${MAX_RENDERED_PROMPT_CHARS} characters (limit prompt.maxRenderedChars)`) }])
    // Exactly at the limit renders; json values count as their JSON text.
    const exact = 'b'.repeat(MAX_RENDERED_PROMPT_CHARS - 2)
    expect(renderTemplate({ template: '[{{x}}]', values: { x: exact } })).toHaveLength(MAX_RENDERED_PROMPT_CHARS)
    expect(() => renderTemplate({ template: '{{x}}{{x}}', values: { x: { text: 'c'.repeat(MAX_RENDERED_PROMPT_CHARS / 2) } } })).toThrow(/limit prompt\.maxRenderedChars/)
  })
})

const accepted: [VariableType, unknown, string][] = [
  ['string', 'Ada', 'Ada'],
  ['text', 'line one\nline two', 'line one\nline two'],
  ['number', 2.5, '2.5'],
  ['number', 0, '0'],
  ['boolean', false, 'false'],
  ['json', { mood: 'noir', beats: [1, 2] }, '{"mood":"noir","beats":[1,2]}'],
  ['json', 'plain', 'plain'],
  ['url', 'https://example.test/a?b=1', 'https://example.test/a?b=1'],
]

const refused: [VariableType, unknown, RegExp][] = [
  ['string', 42, /expected a string/],
  ['string', 'two\nlines', /single line/],
  ['text', ['x'], /expected a string/],
  ['number', '42', /finite number/],
  ['number', Number.NaN, /finite number/],
  ['boolean', 'true', /true or false/],
  ['url', 'ftp://example.test/file', /http\(s\) URL/],
  ['url', 'not a url', /http\(s\) URL/],
  ['url', 7, /http\(s\) URL/],
]

describe('inputs by type', () => {
  it.each(accepted)('%s accepts %j and renders it as %j', (type, value, expected) => {
    expect(render('[{{v}}]', [{ name: 'v', type, required: true }], { v: value })).toEqual({ issues: [], text: `[${expected}]` })
  })

  it.each(refused)('%s refuses %j with a 400 issue at inputs.v', (type, value, message) => {
    const { issues } = render('{{v}}', [{ name: 'v', type, required: true }], { v: value })
    expect(issues).toHaveLength(1)
    expect(issues[0].path).toBe('inputs.v')
    expect(issues[0].message).toMatch(message)
  })

  it.each(['string', 'text', 'number', 'boolean', 'json', 'url'] as VariableType[])('%s: missing and required is named; missing and optional renders empty', (type) => {
    expect(render('{{v}}', [{ name: 'v', type, required: true }], {}).issues).toEqual([
      { path: 'inputs.v', message: `Missing required variable v (${type})` },
    ])
    expect(render('<{{v}}>', [{ name: 'v', type, required: false }], {})).toEqual({ issues: [], text: '<>' })
  })

  it('uses the default when the input is missing', () => {
    const defs: VariableDef[] = [
      { name: 'n', type: 'number', required: true, defaultValue: 3 },
      { name: 'b', type: 'boolean', defaultValue: true },
    ]
    expect(render('{{n}} {{b}}', defs, {}).text).toBe('3 true')
    expect(render('{{n}} {{b}}', defs, { n: 4 }).text).toBe('4 true')
  })

  it('reports every unknown, missing and mistyped variable at once', () => {
    const defs: VariableDef[] = [
      { name: 'a', type: 'string', required: true },
      { name: 'b', type: 'number', required: true },
      { name: 'c', type: 'url' },
    ]
    const { issues } = render('{{a}}{{b}}{{c}}', defs, { b: 'x', c: 'nope', extra: 1 })
    expect(issues.map((issue) => issue.path).sort()).toEqual(['inputs.a', 'inputs.b', 'inputs.c', 'inputs.extra'])
  })
})

describe('template checks at save time', () => {
  it('names placeholders without a definition and definitions never used', () => {
    const issues = checkTemplateVariables({
      template: 'Hello {{name}} from {{place}}',
      variableDefs: [{ name: 'name' }, { name: 'unused' }, { name: 'name' }],
    })
    expect(issues).toEqual([
      { path: 'template', message: 'Uses variables not in variableDefs: place' },
      { path: 'variableDefs.1.name', message: 'Variable unused is defined but the template never uses it' },
      { path: 'variableDefs.2.name', message: 'Variable name is defined twice' },
    ])
    expect(checkTemplateVariables({ template: 'Only \\{{literal}}', variableDefs: [] })).toEqual([])
  })

  it('refuses a default of the wrong type', () => {
    expect(checkTemplateVariables({ template: '{{n}}', variableDefs: [{ name: 'n', type: 'number', defaultValue: 'three' }] })).toEqual([
      { path: 'variableDefs.0.defaultValue', message: 'Default of n: expected a finite number' },
    ])
  })

  it('accepts a compilable JSON Schema and refuses a broken one', () => {
    expect(checkOutputSchema({ type: 'object', required: ['title'], properties: { title: { type: 'string' } } })).toEqual([])
    expect(checkOutputSchema(undefined)).toEqual([])
    expect(checkOutputSchema({ type: 'nonsense' })[0]).toMatchObject({ path: 'outputSchema', message: expect.stringMatching(/Not a valid JSON Schema/) })
    expect(checkOutputSchema({ properties: { a: { minLength: 'x' } } })[0]?.path).toBe('outputSchema')
    expect(checkOutputSchema([1, 2])[0]?.path).toBe('outputSchema')
  })
})

describe('output validation', () => {
  const schema = { type: 'object', required: ['title', 'beats'], properties: { title: { type: 'string' }, beats: { type: 'array', items: { type: 'string' }, minItems: 1 } } }

  it('passes an output that fits the schema', () => {
    expect(validateOutput({ schema, output: { title: 'Pilot', beats: ['open'] } })).toEqual({ isValid: true, errors: [] })
    expect(validateOutput({ schema: undefined, output: 'anything' }).isValid).toBe(true)
  })

  it('fails an output that does not, naming every problem by its path', () => {
    const result = validateOutput({ schema, output: { title: 7, beats: [] } })
    expect(result.isValid).toBe(false)
    expect(result.errors).toEqual(['/title: must be string', '/beats: must NOT have fewer than 1 items'])
    expect(validateOutput({ schema, output: 'text' }).errors).toEqual(['/: must be object'])
  })

  it('keeps schemas with the same $id apart', () => {
    const a = { $id: 'https://example.test/out', type: 'string' }
    const b = { $id: 'https://example.test/out', type: 'number' }
    expect(validateOutput({ schema: a, output: 'x' }).isValid).toBe(true)
    expect(validateOutput({ schema: b, output: 'x' }).isValid).toBe(false)
  })
})
