import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { checkOutputSchema, checkTemplateVariables, type VariableDef } from '../../../domain/promptTemplates'
import { effectiveValue } from '../../../model/references'
import { slugs } from '../../../model/slugs'

/**
 * A template is saved only when its text and its variableDefs agree (every placeholder defined, every definition
 * used, defaults of their type) and its outputSchema is a JSON Schema the validator compiles — for every writer
 * (admin, REST, GraphQL, Local API), so a template that is stored can always be rendered and checked.
 */
export const checkTemplate: CollectionBeforeChangeHook = ({ data, originalDoc }) => {
  const value = (field: string) => effectiveValue({ data, originalDoc, path: [field] })
  const template = value('template')
  if (typeof template !== 'string') return data // required-field validation reports it
  const errors = [
    ...checkTemplateVariables({ template, variableDefs: (value('variableDefs') ?? []) as VariableDef[] }),
    ...checkOutputSchema(value('outputSchema')),
  ]
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.promptTemplates, errors })
  return data
}
