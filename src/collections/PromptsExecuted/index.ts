import type { CollectionConfig } from 'payload'

import { readPromptsExecuted } from '../../access/readPromptsExecuted'
import { canLogPromptExecution } from '../../access/canLogPromptExecution'
import { nobody } from '../../access/nobody'
import { isAdmin } from '../../access/isAdmin'
import { adminGroups, executionStatuses, toOptions } from '../options'
import { slugs } from '../slugs'

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
  },
  indexes: [{ fields: ['projectId', 'status'] }],
  access: {
    read: readPromptsExecuted,
    create: canLogPromptExecution,
    update: nobody,
    delete: isAdmin,
  },
  fields: [
    { name: 'templateId', type: 'relationship', relationTo: slugs.promptTemplates },
    {
      type: 'row',
      fields: [
        { name: 'app', type: 'text' },
        { name: 'feature', type: 'text' },
        { name: 'stage', type: 'text' },
        { name: 'projectId', type: 'text', index: true },
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
