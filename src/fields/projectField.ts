import type { RelationshipField, TextField, Validate } from 'payload'

import { validations } from 'payload'

import { checkProjectWrite } from '../access/checkProjectWrite'
import { slugs } from '../model/slugs'
import { projectSelect } from './adminComponents'

/**
 * Field validation runs after every collection hook and is told whether access is overridden: the place where the
 * project a write lands in — given or derived — is checked against the caller's rights (checkProjectWrite), before
 * the field's own validation.
 */
function withProjectWriteCheck(validate: Validate): Validate {
  return async (value, options) => {
    const { req, previousValue, operation, overrideAccess } = options as typeof options & { overrideAccess?: boolean }
    await checkProjectWrite({ req, value, previousValue, operation, overrideAccess })
    return validate(value, options)
  }
}

/** The `project` relationship every project-scoped collection carries (indexed: all its lists filter on it). */
export function projectField(overrides: Partial<RelationshipField> = {}): RelationshipField {
  return {
    name: 'project',
    type: 'relationship',
    relationTo: slugs.projects,
    required: true,
    index: true,
    ...overrides,
    admin: { position: 'sidebar', components: projectSelect, ...overrides.admin },
    validate: withProjectWriteCheck((overrides.validate ?? validations.relationship) as Validate),
  } as RelationshipField
}

/** A project id kept as text (prompt executions): the same write check as a `project` relationship. */
export function projectIdField(overrides: Partial<TextField> = {}): TextField {
  return {
    name: 'projectId',
    label: 'Project',
    type: 'text',
    index: true,
    ...overrides,
    validate: withProjectWriteCheck((overrides.validate ?? validations.text) as Validate),
  } as TextField
}
