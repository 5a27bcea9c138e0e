import type { CollectionConfig } from 'payload'

import { isAuthenticated } from '../../access/isAuthenticated'
import { isProducerOrAdmin } from '../../access/isProducerOrAdmin'
import { adminGroups, promptModels, toOptions, variableTypes } from '../options'
import { slugs } from '../slugs'

/** Reusable prompt templates; Payload versions keep their history (the spec's _version/_versions). */
export const PromptTemplates: CollectionConfig = {
  slug: slugs.promptTemplates,
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'app', 'feature', 'stage', 'model', 'updatedAt'],
    group: adminGroups.ai,
  },
  versions: { maxPerDoc: 100 },
  indexes: [{ fields: ['app', 'stage'] }],
  access: {
    read: isAuthenticated,
    create: isProducerOrAdmin,
    update: isProducerOrAdmin,
    delete: isProducerOrAdmin,
  },
  fields: [
    { name: 'name', type: 'text', required: true, index: true },
    {
      type: 'row',
      fields: [
        { name: 'app', type: 'text', index: true },
        { name: 'feature', type: 'text' },
        { name: 'stage', type: 'text', index: true },
      ],
    },
    { name: 'tags', type: 'array', fields: [{ name: 'value', type: 'text', required: true }] },
    { name: 'template', type: 'textarea', required: true },
    {
      name: 'variableDefs',
      type: 'array',
      fields: [
        {
          type: 'row',
          fields: [
            { name: 'name', type: 'text', required: true },
            { name: 'type', type: 'select', options: toOptions(variableTypes), defaultValue: 'string', required: true },
            { name: 'required', type: 'checkbox', defaultValue: false },
          ],
        },
        { name: 'description', type: 'textarea' },
        { name: 'defaultValue', type: 'json' },
      ],
    },
    { name: 'outputSchema', type: 'json' },
    { name: 'model', type: 'select', options: toOptions(promptModels) },
    { name: 'notes', type: 'textarea' },
  ],
}
