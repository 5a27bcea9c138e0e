import type { CollectionConfig } from 'payload'

import { canCreateInProject } from './canCreateInProject'
import { isDocumentProjectMember } from './isDocumentProjectMember'
import { readProjectScoped } from './readProjectScoped'

/** Episodes, characters and scenes: every operation follows membership of the document's project. */
export const projectScopedAccess: NonNullable<CollectionConfig['access']> = {
  read: readProjectScoped,
  create: canCreateInProject,
  update: isDocumentProjectMember,
  delete: isDocumentProjectMember,
}
