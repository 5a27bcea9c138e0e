import type { MongooseAdapter } from '@payloadcms/db-mongodb'
import type { Collection } from 'mongodb'
import type { PayloadRequest } from 'payload'

import { ObjectId } from 'mongodb'

import { activeTransactionID } from '../db/afterCommit'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { ConflictError } from '../errors'
import { slugs } from '../model/slugs'

/**
 * One save per prompt-template version number. Two saves of one template both read `_version` N and both wrote N+1
 * (two versions under one number: an execution's `templateVersion` named either). Each save now inserts
 * `<template>:<number>` here before its write; the unique `_id` admits one of them.
 *
 * - MongoDB: the insert is made in the request's transaction, so a rolled-back save gives its number back; a
 *   racer's insert meets WriteConflict and the whole save is retried (src/db/transientRetry.ts), reading N+1.
 * - FerretDB: no transaction; the atomic insert refuses the loser before it writes anything (409). A number left
 *   behind by a save that failed after its insert is taken over once it is older than ABANDONED_MS and no stored
 *   version carries it.
 */
export const TEMPLATE_VERSION_NUMBERS = 'template-version-numbers'
const ABANDONED_MS = 30_000

type VersionNumber = { _id: string; takenAt: Date }

export async function takeTemplateVersionNumber(req: PayloadRequest, templateId: string | number, version: number) {
  const adapter = req.payload.db as unknown as MongooseAdapter
  const transactionID = await activeTransactionID(req)
  const session = transactionID !== undefined ? adapter.sessions[transactionID] : undefined
  const numbers = adapter.connection.db!.collection<VersionNumber>(TEMPLATE_VERSION_NUMBERS)
  const _id = `${templateId}:${version}`
  for (let attempt = 0; ; attempt++) {
    try {
      await numbers.insertOne({ _id, takenAt: new Date() }, { session })
      return
    } catch (err) {
      // A WriteConflict (MongoDB, inside the transaction) goes up: the save is retried whole.
      if (!isDuplicateKeyError(err)) throw err
    }
    if (attempt === 0 && !session && (await abandoned(adapter, numbers, _id, templateId, version))) {
      await numbers.deleteOne({ _id })
      continue
    }
    throw new ConflictError({
      message: `Version ${version} of this prompt template was saved by someone else meanwhile; reload it and save again.`,
      details: { path: '_version' },
    })
  }
}

async function abandoned(adapter: MongooseAdapter, numbers: Collection<VersionNumber>, _id: string, templateId: string | number, version: number) {
  const taken = await numbers.findOne({ _id })
  if (!taken || Date.now() - taken.takenAt.getTime() < ABANDONED_MS) return false
  const parent = ObjectId.isValid(String(templateId)) ? { $in: [templateId, new ObjectId(String(templateId))] } : templateId
  const stored = await adapter.versions[slugs.promptTemplates].collection.findOne({ parent, 'version._version': version }, { projection: { _id: 1 } })
  return !stored
}
