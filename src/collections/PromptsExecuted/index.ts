import type { CollectionConfig } from 'payload'

import { readPromptsExecuted } from '../../access/readPromptsExecuted'
import { nobody } from '../../access/nobody'
import { isAdmin } from '../../access/isAdmin'
import { isHiddenFromNonAdmins } from '../../access/isHiddenFromNonAdmins'
import { adminGroups, executionStatuses, toOptions } from '../../model/options'
import { projectIdField } from '../../fields/projectField'
import { slugs } from '../../model/slugs'

/** Audit trail of every prompt run: what was sent, to which model, and what came back. */
export const PromptsExecuted: CollectionConfig = {
  slug: slugs.promptsExecuted,
  // Without it mongoose would pluralize the collection to "prompts-executeds".
  dbName: 'prompts-executed',
  labels: { singular: 'Prompt Execution', plural: 'Prompts Executed' },
  admin: {
    useAsTitle: 'resolvedPrompt',
    defaultColumns: ['templateId', 'projectId', 'model', 'status', 'startedAt'],
    group: adminGroups.ai,
    hidden: isHiddenFromNonAdmins,
  },
  indexes: [{ fields: ['projectId', 'status'] }],
  access: {
    read: readPromptsExecuted,
    // Recorded by the execution service (server code); by hand only admins, importing history.
    create: isAdmin,
    update: nobody,
    delete: isAdmin,
  },
  fields: [
    {
      type: 'row',
      fields: [
        { name: 'templateId', label: 'Template', type: 'relationship', relationTo: slugs.promptTemplates },
        { name: 'templateVersion', type: 'number', admin: { description: "The template's _version this run used." } },
      ],
    },
    {
      type: 'row',
      fields: [
        { name: 'app', type: 'text' },
        { name: 'feature', type: 'text' },
        { name: 'stage', type: 'text' },
        projectIdField(),
      ],
    },
    { name: 'tagsSnapshot', type: 'array', fields: [{ name: 'value', type: 'text' }] },
    { name: 'inputs', type: 'json' },
    { name: 'resolvedPrompt', type: 'textarea' },
    {
      type: 'row',
      fields: [
        { name: 'model', type: 'text', index: true },
        { name: 'status', type: 'select', options: toOptions(executionStatuses), required: true, index: true },
      ],
    },
    { name: 'outputRaw', type: 'json' },
    { name: 'errorMessage', type: 'textarea' },
    {
      type: 'row',
      fields: [
        { name: 'startedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'finishedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
    { name: 'notes', type: 'textarea' },
  ],
}
