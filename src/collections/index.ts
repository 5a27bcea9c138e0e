import type { CollectionConfig } from 'payload'

import { withAuditLog } from '../hooks/audit/withAuditLog'
import { withListLimit } from '../hooks/capListLimit'
import { withQueryCheck } from '../hooks/rejectMalformedQuery'
import { withOptionalFilledFields } from '../fields/optionalWhenFilled'
import { AuditLog } from './AuditLog'
import { Characters } from './Characters'
import { Episodes } from './Episodes'
import { Media } from './Media'
import { Projects } from './Projects'
import { PromptsExecuted } from './PromptsExecuted'
import { PromptTemplates } from './PromptTemplates'
import { Scenes } from './Scenes'
import { Sessions } from './Sessions'
import { Tasks } from './Tasks'
import { createUsersCollection } from './Users'

/**
 * The ten collections and the audit log, in the order the admin navigation shows them within their groups. Every
 * collection gets the audit hooks (withAuditLog skips the audit log itself), the REST/GraphQL page-size cap and the
 * REST/GraphQL query check (sort keys, geo operators); required fields that a default or hook fills are optional to
 * callers (withOptionalFilledFields).
 */
export function buildCollections({ maxLoginAttempts }: { maxLoginAttempts: number }): CollectionConfig[] {
  const collections: CollectionConfig[] = [
    Projects,
    Episodes,
    Scenes,
    Characters,
    Media,
    Tasks,
    PromptTemplates,
    PromptsExecuted,
    Sessions,
    createUsersCollection({ maxLoginAttempts }),
    AuditLog,
  ]
  return collections.map((collection) => withOptionalFilledFields(withQueryCheck(withListLimit(withAuditLog(collection)))))
}
