import type { DatabaseEngine } from './engine'

/**
 * What the connected database can do for search, decided once at start-up (payload.config.ts onInit, from the
 * engine detection in engine.ts and the indexes ensureSearchIndexes could create). Services read it to pick a
 * search strategy; kept on globalThis so Next's module reloading shares one.
 */
export type SearchCapabilities = {
  engine: DatabaseEngine | undefined
  /** MongoDB text indexes exist: `$text` with textScore ranking. FerretDB v1 has none. */
  hasTextIndexes: boolean
  /** Atlas Search (`$search`) is configured (SEARCH_BACKEND=atlas) on a MongoDB server. */
  hasAtlasSearch: boolean
  /** The `media_embedding_index` vector index exists (Atlas, or MongoDB 8.2+ with mongot): `$vectorSearch`. */
  hasVectorIndex: boolean
}

const holder = globalThis as typeof globalThis & { __searchCapabilities?: SearchCapabilities }

const none: SearchCapabilities = { engine: undefined, hasTextIndexes: false, hasAtlasSearch: false, hasVectorIndex: false }

export function getSearchCapabilities(): SearchCapabilities {
  return holder.__searchCapabilities ?? none
}

export function setSearchCapabilities(capabilities: SearchCapabilities): void {
  holder.__searchCapabilities = capabilities
}
