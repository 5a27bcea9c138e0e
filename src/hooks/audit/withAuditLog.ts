import type { CollectionConfig } from 'payload'

import { slugs } from '../../model/slugs'
import { auditAfterChange } from './auditAfterChange'
import { auditAfterDelete } from './auditAfterDelete'
import { noteSecretInputs } from './noteSecretInputs'

/** Appends the audit hooks to a collection (every collection but the audit log itself). */
export function withAuditLog(collection: CollectionConfig): CollectionConfig {
  if (collection.slug === slugs.auditLog) return collection
  return {
    ...collection,
    hooks: {
      ...collection.hooks,
      beforeValidate: [...(collection.hooks?.beforeValidate ?? []), noteSecretInputs],
      afterChange: [...(collection.hooks?.afterChange ?? []), auditAfterChange],
      afterDelete: [...(collection.hooks?.afterDelete ?? []), auditAfterDelete],
    },
  }
}
