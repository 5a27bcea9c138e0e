import type { CollectionConfig, SanitizedConfig } from 'payload'

import { isAdmin } from '../access/isAdmin'
import { isOwnRecord } from '../access/isOwnRecord'
import { isOwnRecordOnly } from '../access/isOwnRecordOnly'
import { nobody } from '../access/nobody'
import { rejectMalformedQuery } from '../hooks/rejectMalformedQuery'
import { internalSlugs } from '../model/slugs'

/**
 * Payload adds its own collections while it sanitizes the config (there is no option for their access), with
 * "any signed-in user" as default: B could lock A's project (A's save then answers 423) and list which documents
 * of every project are being edited by whom. Their rules are set here, on the sanitized config, and they get the
 * same query check as ours. The admin itself creates and renews locks through the database adapter, so `create`
 * through the API is for nobody; it reads, takes over and releases locks through REST, so a person may read,
 * update and delete their own.
 */
export const internalCollectionAccess: Record<string, CollectionConfig['access']> = {
  [internalSlugs.lockedDocuments]: { read: isOwnRecord, create: nobody, update: isOwnRecord, delete: isOwnRecord },
  // The admin writes preferences through its own endpoints (as the signed-in user); the generic create is unused.
  // Payload files a preference under whoever saves it, so an update of someone else's would take it over: own only.
  [internalSlugs.preferences]: { read: isOwnRecord, create: isAdmin, update: isOwnRecordOnly, delete: isOwnRecord },
  // Migrations run as server code (Local API, access overridden); no REST/GraphQL endpoints exist for them.
  [internalSlugs.migrations]: { read: isAdmin, create: nobody, update: nobody, delete: nobody },
  // Payload's key-value store, used through the database adapter only (Payload's default is already closed).
  [internalSlugs.kv]: { read: nobody, create: nobody, update: nobody, delete: nobody },
}

export async function withInternalCollectionAccess(configPromise: Promise<SanitizedConfig>): Promise<SanitizedConfig> {
  const config = await configPromise
  for (const collection of config.collections) {
    const access = internalCollectionAccess[collection.slug]
    if (!access) continue
    Object.assign(collection.access, access)
    collection.hooks.beforeOperation = [rejectMalformedQuery, ...(collection.hooks.beforeOperation ?? [])]
  }
  return config
}
