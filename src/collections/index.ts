import type { CollectionConfig } from 'payload'

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

/** The ten collections, in the order the admin navigation shows them within their groups. */
export function buildCollections({ maxLoginAttempts }: { maxLoginAttempts: number }): CollectionConfig[] {
  return [
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
  ]
}
