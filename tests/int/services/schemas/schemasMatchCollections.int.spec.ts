import type { CollectionConfig, Field } from 'payload'
import type { z } from 'zod'

import { describe, expect, it } from 'vitest'

import { Characters } from '../../../../src/collections/Characters'
import { Episodes } from '../../../../src/collections/Episodes'
import { Media } from '../../../../src/collections/Media'
import { Projects } from '../../../../src/collections/Projects'
import { PromptsExecuted } from '../../../../src/collections/PromptsExecuted'
import { PromptTemplates } from '../../../../src/collections/PromptTemplates'
import { Scenes } from '../../../../src/collections/Scenes'
import { Sessions } from '../../../../src/collections/Sessions'
import { Tasks } from '../../../../src/collections/Tasks'
import { createUsersCollection } from '../../../../src/collections/Users'
import { ValidationError } from '../../../../src/errors'
import { createCharacterSchema, updateCharacterSchema } from '../../../../src/services/schemas/characterSchemas'
import { parseInput } from '../../../../src/services/schemas/common'
import { createEpisodeSchema, updateEpisodeSchema } from '../../../../src/services/schemas/episodeSchemas'
import { updateMediaSchema } from '../../../../src/services/schemas/mediaSchemas'
import { createProjectSchema, updateProjectSchema } from '../../../../src/services/schemas/projectSchemas'
import { createPromptExecutionSchema, updatePromptExecutionSchema } from '../../../../src/services/schemas/promptExecutionSchemas'
import { createPromptTemplateSchema, updatePromptTemplateSchema } from '../../../../src/services/schemas/promptTemplateSchemas'
import { createSceneSchema, updateSceneSchema } from '../../../../src/services/schemas/sceneSchemas'
import { createSessionSchema, updateSessionSchema } from '../../../../src/services/schemas/sessionSchemas'
import { createTaskSchema, updateTaskSchema } from '../../../../src/services/schemas/taskSchemas'
import { createUserSchema, updateUserSchema } from '../../../../src/services/schemas/userSchemas'

/**
 * The services' zod schemas held against the collection configs they write to, so the two cannot drift:
 * - a field the config marks read-only (derived or counted by the server: `admin.readOnly`) is refused by every
 *   write schema with a 400 naming its path — never accepted and then silently dropped by a hook;
 * - a create schema requires exactly the fields the collection requires and nothing fills in (no default, not
 *   `custom.filledByHook`).
 */
type Schemas = { create?: z.ZodType; update: z.ZodType }
const collections: [CollectionConfig, Schemas][] = [
  [Projects, { create: createProjectSchema, update: updateProjectSchema }],
  [Episodes, { create: createEpisodeSchema, update: updateEpisodeSchema }],
  [Scenes, { create: createSceneSchema, update: updateSceneSchema }],
  [Characters, { create: createCharacterSchema, update: updateCharacterSchema }],
  [Media, { update: updateMediaSchema }],
  [Tasks, { create: createTaskSchema, update: updateTaskSchema }],
  [Sessions, { create: createSessionSchema, update: updateSessionSchema }],
  [PromptTemplates, { create: createPromptTemplateSchema, update: updatePromptTemplateSchema }],
  [PromptsExecuted, { create: createPromptExecutionSchema, update: updatePromptExecutionSchema }],
  [createUsersCollection({ maxLoginAttempts: 5 }), { create: createUserSchema, update: updateUserSchema }],
]

type FieldInfo = { path: string[]; readOnly: boolean; mustBeGiven: boolean; sample: unknown }

/** The named data fields of a config, with dotted paths through groups (array rows and blocks are not descended). */
function fieldsOf(fields: Field[], parent: string[] = []): FieldInfo[] {
  return fields.flatMap((field): FieldInfo[] => {
    if (field.type === 'tabs') return field.tabs.flatMap((tab) => fieldsOf(tab.fields, 'name' in tab && tab.name ? [...parent, tab.name] : parent))
    if (!('name' in field)) return 'fields' in field ? fieldsOf(field.fields as Field[], parent) : []
    const path = [...parent, field.name]
    if (field.type === 'group') return fieldsOf(field.fields, path)
    const readOnly = Boolean((field.admin as { readOnly?: boolean } | undefined)?.readOnly)
    const filled =
      ('defaultValue' in field && field.defaultValue !== undefined) || Boolean((field.custom as { filledByHook?: boolean } | undefined)?.filledByHook)
    return [{ path, readOnly, mustBeGiven: 'required' in field && Boolean(field.required) && !filled && parent.length === 0, sample: sampleOf(field) }]
  })
}

/** A value of the field's own type, so a refusal comes from the path being read-only, not from a wrong type. */
function sampleOf(field: Field): unknown {
  const one = (() => {
    switch (field.type) {
      case 'number':
        return 1
      case 'checkbox':
        return true
      case 'date':
        return new Date().toISOString()
      case 'select':
        return typeof field.options[0] === 'string' ? field.options[0] : field.options[0].value
      case 'relationship':
      case 'upload':
        return 'a'.repeat(24)
      default:
        return 'x'
    }
  })()
  return 'hasMany' in field && field.hasMany ? [one] : one
}

const nest = (path: string[], value: unknown): Record<string, unknown> =>
  path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>

const issuePaths = (schema: z.ZodType, input: unknown): string[] => {
  try {
    parseInput(schema, input)
    return []
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return err.issues.map((issue) => issue.path)
  }
}

describe.each(collections.map(([collection, schemas]) => ({ slug: collection.slug, collection, schemas })))('the $slug write schemas', ({ collection, schemas }) => {
  // Payload adds email and password to auth collections.
  const authFields: FieldInfo[] = collection.auth
    ? ['email', 'password'].map((name) => ({ path: [name], readOnly: false, mustBeGiven: true, sample: 'x' }))
    : []
  const fields = [...fieldsOf(collection.fields), ...authFields]
  const readOnly = fields.filter((field) => field.readOnly)

  it('has its read-only fields refused by every write schema with a 400 naming them', () => {
    for (const field of readOnly) {
      const dotted = field.path.join('.')
      for (const [operation, schema] of Object.entries(schemas)) {
        // The refusal names the field, or the group holding it when the whole group is server-owned.
        const named = issuePaths(schema, nest(field.path, field.sample)).filter((path) => dotted === path || dotted.startsWith(`${path}.`))
        expect(named, `${operation} accepts ${dotted}`).not.toEqual([])
      }
    }
  })

  it('requires on create exactly what the collection requires and nothing fills in', () => {
    if (!schemas.create) return
    const required = fields.filter((field) => field.mustBeGiven).map((field) => field.path.join('.'))
    const missing = issuePaths(schemas.create, {}).filter((path) => !path.includes('.'))
    expect(missing.sort()).toEqual(required.sort())
  })
})
