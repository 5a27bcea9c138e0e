import type { variableTypes } from '../model/options'

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'

import { ValidationError } from '../errors'
import { MAX_RENDERED_PROMPT_CHARS } from '../model/apiLimits'

/**
 * Prompt templates (docs/PROMPTS.md): `{{name}}` placeholders filled from inputs checked against the template's
 * `variableDefs`. `\{{` writes a literal `{{` (the backslash is dropped); whitespace inside the braces is allowed
 * (`{{ name }}`). A variable name starts with a letter or `_` and continues with letters, digits or `_`.
 */
export type VariableType = (typeof variableTypes)[number]
export type VariableDef = {
  name: string
  type?: VariableType | null
  required?: boolean | null
  description?: string | null
  defaultValue?: unknown
}
export type Issue = { path: string; message: string }

const PLACEHOLDER = /\\\{\{|\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

/** The variable names a template uses, in order of first use (escaped `\{{` is text, not a placeholder). */
export function findPlaceholders(template: string): string[] {
  const names = new Set<string>()
  for (const match of template.matchAll(PLACEHOLDER)) if (match[1]) names.add(match[1])
  return [...names]
}

/** What a template refuses to be saved with: placeholders without a definition, definitions never used, duplicates, defaults of the wrong type. */
export function checkTemplateVariables({ template, variableDefs }: { template: string; variableDefs: VariableDef[] }): Issue[] {
  const issues: Issue[] = []
  const used = findPlaceholders(template)
  const defined = variableDefs.map((def) => def.name)
  const undefinedNames = used.filter((name) => !defined.includes(name))
  if (undefinedNames.length > 0) {
    issues.push({ path: 'template', message: `Uses variables not in variableDefs: ${undefinedNames.join(', ')}` })
  }
  variableDefs.forEach((def, index) => {
    if (defined.indexOf(def.name) !== index) {
      issues.push({ path: `variableDefs.${index}.name`, message: `Variable ${def.name} is defined twice` })
    } else if (!used.includes(def.name)) {
      issues.push({ path: `variableDefs.${index}.name`, message: `Variable ${def.name} is defined but the template never uses it` })
    }
    if (def.defaultValue !== undefined && def.defaultValue !== null) {
      const problem = typeProblem(def.type ?? 'string', def.defaultValue)
      if (problem) issues.push({ path: `variableDefs.${index}.defaultValue`, message: `Default of ${def.name}: ${problem}` })
    }
  })
  return issues
}

/** Why a value does not fit a variable type, or undefined when it does. */
function typeProblem(type: VariableType, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return 'expected a string'
      if (/[\r\n]/.test(value)) return 'expected a single line (use type text for several lines)'
      return undefined
    case 'text':
      return typeof value === 'string' ? undefined : 'expected a string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a finite number'
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false'
    case 'json':
      return value === undefined ? 'expected a JSON value' : undefined
    case 'url':
      return typeof value === 'string' && isHttpUrl(value) ? undefined : 'expected an http(s) URL'
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * The value of every defined variable for a render: the input, else the default, else (optional variables) empty.
 * Unknown, missing and mistyped inputs are all reported at once, each at `inputs.<name>`.
 */
export function resolveVariables({ variableDefs, inputs }: { variableDefs: VariableDef[]; inputs: Record<string, unknown> }): {
  values: Record<string, unknown>
  issues: Issue[]
} {
  const issues: Issue[] = []
  const values: Record<string, unknown> = {}
  const defined = new Set(variableDefs.map((def) => def.name))
  for (const name of Object.keys(inputs)) {
    if (!defined.has(name)) issues.push({ path: `inputs.${name}`, message: `Unknown variable ${name}` })
  }
  for (const def of variableDefs) {
    const given = Object.hasOwn(inputs, def.name) ? inputs[def.name] : undefined
    if (given === undefined || given === null) {
      if (def.defaultValue !== undefined && def.defaultValue !== null) values[def.name] = def.defaultValue
      else if (def.required) issues.push({ path: `inputs.${def.name}`, message: `Missing required variable ${def.name} (${def.type ?? 'string'})` })
      else values[def.name] = ''
      continue
    }
    const problem = typeProblem(def.type ?? 'string', given)
    if (problem) issues.push({ path: `inputs.${def.name}`, message: `Variable ${def.name}: ${problem}` })
    else values[def.name] = given
  }
  return { values, issues }
}

/**
 * The template with each placeholder replaced (json values as JSON text) and each `\{{` turned into `{{`. A prompt
 * longer than MAX_RENDERED_PROMPT_CHARS is refused (400 on `inputs`, naming the limit) as soon as the replacement
 * passes it, before the text is built: a placeholder used many times would otherwise multiply a large input (900 KB
 * in, 9.9 MB out), on render, execute and the worker's attempt alike.
 */
export function renderTemplate({ template, values, maxChars = MAX_RENDERED_PROMPT_CHARS }: { template: string; values: Record<string, unknown>; maxChars?: number }): string {
  let length = template.length
  const refuseOver = () => {
    const message = `The rendered prompt would exceed ${maxChars} characters (limit prompt.maxRenderedChars)`
    throw new ValidationError({ issues: [{ path: 'inputs', message }], message })
  }
  if (length > maxChars) refuseOver()
  return template.replace(PLACEHOLDER, (match, name: string | undefined) => {
    const text = placeholderText(name ? values[name] : undefined, name)
    length += text.length - match.length
    if (length > maxChars) refuseOver()
    return text
  })
}

function placeholderText(value: unknown, name: string | undefined): string {
  if (!name) return '{{'
  if (typeof value === 'string') return value
  return value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
}

// allErrors: every schema error is reported at once.
const ajv = new Ajv({ allErrors: true, strict: false })
const compiled = new Map<string, ValidateFunction>()
const MAX_COMPILED = 200

/**
 * A schema's validator, compiled once per distinct schema text. Ajv keys its own cache by object identity (each
 * read of a template is a new object) and refuses a second schema with the same `$id`, so the schema is removed
 * from Ajv after compiling and the function kept here instead (bounded, oldest dropped first).
 */
function compile(schema: object | boolean): ValidateFunction {
  const key = JSON.stringify(schema)
  const cached = compiled.get(key)
  if (cached) return cached
  const validate = ajv.compile(schema)
  if (typeof schema === 'object') ajv.removeSchema(schema)
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!)
  compiled.set(key, validate)
  return validate
}

/** Problems with an outputSchema itself (not a JSON Schema ajv can compile), or [] when it is usable. */
export function checkOutputSchema(schema: unknown): Issue[] {
  if (schema === undefined || schema === null) return []
  if (typeof schema !== 'object' || Array.isArray(schema)) {
    return typeof schema === 'boolean' ? [] : [{ path: 'outputSchema', message: 'Must be a JSON Schema object (or a boolean)' }]
  }
  try {
    compile(schema)
    return []
  } catch (err) {
    return [{ path: 'outputSchema', message: `Not a valid JSON Schema: ${(err as Error).message}` }]
  }
}

/** Validates an output against a template's outputSchema; the errors read `/path: message`. */
export function validateOutput({ schema, output }: { schema: unknown; output: unknown }): { isValid: boolean; errors: string[] } {
  if (schema === undefined || schema === null) return { isValid: true, errors: [] }
  const validate = compile(schema as object | boolean)
  if (validate(output)) return { isValid: true, errors: [] }
  return { isValid: false, errors: (validate.errors ?? []).map(describeSchemaError) }
}

function describeSchemaError(error: ErrorObject): string {
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}`
}
