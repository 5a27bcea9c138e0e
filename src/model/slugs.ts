/** Every collection slug in one place: REST paths (/api/<slug>) and GraphQL names follow from these. */
export const slugs = {
  users: 'users',
  projects: 'projects',
  episodes: 'episodes',
  characters: 'characters',
  scenes: 'scenes',
  media: 'media',
  sessions: 'sessions',
  tasks: 'tasks',
  promptTemplates: 'prompt-templates',
  promptsExecuted: 'prompts-executed',
  auditLog: 'audit-log',
  projectInvitations: 'project-invitations',
} as const


/**
 * The collections Payload adds itself (it fixes their slugs): document locks, admin preferences, migrations and its
 * key-value store. Their rules: src/collections/internalCollections.ts.
 */
export const internalSlugs = {
  lockedDocuments: 'payload-locked-documents',
  preferences: 'payload-preferences',
  migrations: 'payload-migrations',
  kv: 'payload-kv',
} as const
