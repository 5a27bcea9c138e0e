import type { RelationshipField } from 'payload'

import { slugs } from '../collections/slugs'

/** The `project` relationship every project-scoped collection carries (indexed: all its lists filter on it). */
export function projectField(overrides: Partial<RelationshipField> = {}): RelationshipField {
  return {
    name: 'project',
    type: 'relationship',
    relationTo: slugs.projects,
    required: true,
    index: true,
    admin: { position: 'sidebar' },
    ...overrides,
  } as RelationshipField
}
