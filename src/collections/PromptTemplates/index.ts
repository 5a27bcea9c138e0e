import type { CollectionConfig } from 'payload'

import { isAuthenticated } from '../../access/isAuthenticated'
import { isProducerOrAdmin } from '../../access/isProducerOrAdmin'
import { relatedList } from '../../fields/adminComponents'
import { adminGroups, promptModels, toOptions, variableTypes } from '../../model/options'
import { slugs } from '../../model/slugs'
import { assignVersionNumber } from './hooks/assignVersionNumber'
import { checkTemplate } from './hooks/checkTemplate'

/**
 * Reusable prompt templates; Payload versions keep their history (the spec's _versions) and `_version` numbers
 * the current one. Rendering, checks and execution: src/domain/promptTemplates.ts, docs/PROMPTS.md.
 */
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
    // Earlier versions are rendered and executed by whoever may read the template.
    readVersions: isAuthenticated,
    create: isProducerOrAdmin,
    update: isProducerOrAdmin,
    delete: isProducerOrAdmin,
  },
  hooks: { beforeChange: [checkTemplate, assignVersionNumber] },
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
        {
          name: 'defaultValue',
          type: 'json',
          // Any JSON value, a plain string included (Payload's own json check would parse a string as JSON text and
          // refuse `dark`); whether it fits the variable's type is checked by checkTemplate.
          validate: () => true,
        },
      ],
    },
    // Renders the saved template with sample inputs (admin only, stores nothing; src/components/admin/PromptPreview.tsx).
    { name: 'preview', type: 'ui', admin: { components: relatedList('PromptPreview') } },
    { name: 'outputSchema', type: 'json' },
    { name: 'model', type: 'select', options: toOptions(promptModels) },
    { name: 'notes', type: 'textarea' },
    {
      name: '_version',
      type: 'number',
      label: 'Version',
      admin: { readOnly: true, position: 'sidebar', description: 'Number of the current version (set on every save).' },
    },
  ],
}
