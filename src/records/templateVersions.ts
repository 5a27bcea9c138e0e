import type { MongooseAdapter } from '@payloadcms/db-mongodb'
import type { PayloadRequest } from 'payload'

import { ObjectId } from 'mongodb'

import { ConflictError } from '../errors'
import { slugs } from '../model/slugs'
import { takeWriteTicket } from './writeTickets'

/**
 * One save per prompt-template version number. Two saves of one template both read `_version` N and both wrote N+1
 * (two versions under one number: an execution's `templateVersion` named either). Each save now takes the write
 * ticket `<template>:version:<number>` before its write (src/records/writeTickets.ts); the second is refused (409).
 * A ticket is abandoned when no stored version carries its number.
 */
export async function takeTemplateVersionNumber(req: PayloadRequest, templateId: string | number, version: number) {
  const isAbandoned = async () => {
    const adapter = req.payload.db as unknown as MongooseAdapter
    const parent = ObjectId.isValid(String(templateId)) ? { $in: [templateId, new ObjectId(String(templateId))] } : templateId
    return !(await adapter.versions[slugs.promptTemplates].collection.findOne({ parent, 'version._version': version }, { projection: { _id: 1 } }))
  }
  if (await takeWriteTicket(req, `${slugs.promptTemplates}:${templateId}:version:${version}`, isAbandoned)) return
  throw new ConflictError({
    message: `Version ${version} of this prompt template was saved by someone else meanwhile; reload it and save again.`,
    details: { path: '_version' },
  })
}
