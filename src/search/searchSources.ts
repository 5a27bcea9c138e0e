import { slugs } from '../model/slugs'

export const searchTypes = ['projects', 'episodes', 'scenes', 'characters', 'media'] as const
export type SearchType = (typeof searchTypes)[number]

/** A searched field: its dotted path (through arrays too) and its weight in the ranking. */
export type SearchField = { path: string; weight: number }

export type SearchSource = {
  type: SearchType
  collection: string
  /** The text fields searched, heaviest first; the same weights feed $text, Atlas Search boosts and the fallback. */
  fields: SearchField[]
  /** Field holding the hit's title, and the field used when that one is empty. */
  titleField: string
  fallbackTitleField?: string
  /** How a document names its project: projects are their own project. */
  projectField: '_id' | 'project'
}

/**
 * Everything the search box looks at, one place: the text indexes (src/db/indexes.ts), the Atlas Search index
 * definition, the fallback scan and the highlighted snippets all read these lists.
 */
export const searchSources: Record<SearchType, SearchSource> = {
  projects: {
    type: 'projects',
    collection: slugs.projects,
    fields: [
      { path: 'title', weight: 10 },
      { path: 'description', weight: 2 },
    ],
    titleField: 'title',
    projectField: '_id',
  },
  episodes: {
    type: 'episodes',
    collection: slugs.episodes,
    fields: [
      { path: 'title', weight: 10 },
      { path: 'synopsis.logline', weight: 4 },
      { path: 'description', weight: 2 },
      { path: 'synopsis.summary', weight: 2 },
      { path: 'script.content', weight: 1 },
    ],
    titleField: 'title',
    projectField: 'project',
  },
  scenes: {
    type: 'scenes',
    collection: slugs.scenes,
    fields: [
      { path: 'title', weight: 10 },
      { path: 'script.action', weight: 1 },
      { path: 'script.dialogue.lines', weight: 1 },
    ],
    titleField: 'title',
    projectField: 'project',
  },
  characters: {
    type: 'characters',
    collection: slugs.characters,
    fields: [
      { path: 'name', weight: 10 },
      { path: 'description', weight: 2 },
    ],
    titleField: 'name',
    projectField: 'project',
  },
  media: {
    type: 'media',
    collection: slugs.media,
    fields: [
      { path: 'alt', weight: 5 },
      { path: 'tags', weight: 3 },
      { path: 'description', weight: 2 },
    ],
    titleField: 'alt',
    fallbackTitleField: 'filename',
    projectField: 'project',
  },
}

/** The values at a dotted path, walking through arrays (scene dialogue lines, media tags). */
export function valuesAt(doc: unknown, path: string): string[] {
  let current: unknown[] = [doc]
  for (const key of path.split('.')) {
    const next: unknown[] = []
    for (const value of current) {
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object') next.push((item as Record<string, unknown>)[key])
      } else if (value && typeof value === 'object') {
        next.push((value as Record<string, unknown>)[key])
      }
    }
    current = next
  }
  return current.flat().filter((value): value is string => typeof value === 'string' && value.length > 0)
}
