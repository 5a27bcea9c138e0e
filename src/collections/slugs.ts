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
} as const

export type Slug = (typeof slugs)[keyof typeof slugs]
