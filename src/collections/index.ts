import type { CollectionConfig } from 'payload'

import { withAuditLog } from '../hooks/audit/withAuditLog'
import { withListLimit } from '../hooks/capListLimit'
import { withQueryCheck } from '../hooks/rejectMalformedQuery'
import { withJsonFieldLimits } from '../fields/jsonFieldLimits'
import { withOptionalFilledFields } from '../fields/optionalWhenFilled'
import { withObjectData } from '../hooks/requireObjectData'
import { withStrictSelects } from '../fields/strictSelects'
import { AuditLog } from './AuditLog'
import { Characters } from './Characters'
import { Episodes } from './Episodes'
import { Media } from './Media'
import { ProjectInvitations } from './ProjectInvitations'
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
 * callers (withOptionalFilledFields); json fields have size and depth limits (withJsonFieldLimits), select fields take only
 * strings (withStrictSelects) and the data of a write must be an object (withObjectData).
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
    ProjectInvitations,
  ]
  return collections.map((collection) =>
    withObjectData(withStrictSelects(withJsonFieldLimits(withOptionalFilledFields(withQueryCheck(withListLimit(withAuditLog(collection))))))),
  )
}
