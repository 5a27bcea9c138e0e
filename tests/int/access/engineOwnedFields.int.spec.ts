import type { Field, FieldAccess, Payload, PayloadRequest } from 'payload'

import { createLocalReq } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { engineBookkeepingFields, engineOwnedFields, isUnderAny } from '../../../src/model/engineFields'
import { slugs } from '../../../src/model/slugs'
import { createTaskQueue } from '../../../src/queue/taskQueue'
import { fixtures } from '../../helpers/fixtures'
import { loose } from '../../helpers/loose'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 19 item 3: every change of a task's state goes through the engine. The fields the engine owns
 * (src/model/engineFields.ts) are read-only through the API for workers (API keys) and members; admins may repair the
 * state but not the bookkeeping. This walks every collection of the running config, so a field added under an
 * engine-owned path (or an engine-owned path given write access) fails here; and it runs the engine to check that
 * it writes no path outside the list.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: any, collaborator: any, admin: any, keyOwner: any, project: any

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('engine-owned-fields'))
  const make = fixtures(payload)
  admin = await make.user({ role: 'admin' })
  owner = await make.user({ subscription: { tier: 'enterprise' } })
  collaborator = await make.user()
  keyOwner = await make.user({ role: 'admin', enableAPIKey: true, apiKey: 'engine-fields-key-0001' })
  project = await make.project(owner.id, { collaborators: [collaborator.id] })
})
afterAll(async () => cleanup?.())

const principal = (user: any, strategy = 'local-jwt') => ({ ...user, collection: 'users', _strategy: strategy })
const as = (user: any, strategy = 'local-jwt') => ({ user: principal(user, strategy), overrideAccess: false as const, depth: 0 })

type Walked = { path: string; access: { create: FieldAccess[]; update: FieldAccess[] } }

/** Every data field of a collection with its dotted path and the access functions on it and its ancestors. */
function walk(fields: Field[], prefix = '', inherited: Walked['access'] = { create: [], update: [] }): Walked[] {
  const out: Walked[] = []
  for (const field of fields) {
    const named = 'name' in field && field.name
    const path = named ? (prefix ? `${prefix}.${field.name}` : field.name) : prefix
    const own = 'access' in field && field.access ? field.access : {}
    const access = {
      create: [...inherited.create, ...(named && own.create ? [own.create] : [])],
      update: [...inherited.update, ...(named && own.update ? [own.update] : [])],
    }
    if (named) out.push({ path, access })
    if ('fields' in field && Array.isArray(field.fields)) out.push(...walk(field.fields, path, access))
    if (field.type === 'tabs') for (const tab of field.tabs) out.push(...walk(tab.fields, 'name' in tab && tab.name ? (prefix ? `${prefix}.${tab.name}` : tab.name) : prefix, access))
    if (field.type === 'blocks') for (const block of field.blocks) out.push(...walk(block.fields, path, access))
  }
  return out
}

/**
 * Whether this request may write the field: the collection's rule lets it in (a constraint counts as yes: the
 * document is the caller's) and no field rule on the path says no (Payload drops the value then).
 */
async function mayWrite(collectionRule: ((args: any) => unknown) | undefined, rules: FieldAccess[], req: PayloadRequest, doc: Record<string, unknown>) {
  if (collectionRule && !(await collectionRule({ req, data: doc, id: doc.id }))) return false
  for (const rule of rules) if (!(await rule({ req, doc, data: doc, siblingData: doc, id: doc.id as string }))) return false
  return true
}

describe('the fields the engine owns', () => {
  it('are read-only through the API for workers and members in every collection (admins repair the state only)', async () => {
    const doc = { id: String((await payload.create({ collection: slugs.tasks, data: { project: project.id, taskType: 'image_generation' } as never })).id), project: String(project.id) }
    const requests = {
      worker: await createLocalReq({ user: principal(keyOwner, 'api-key') }, payload),
      owner: await createLocalReq({ user: principal(owner) }, payload),
      collaborator: await createLocalReq({ user: principal(collaborator) }, payload),
      admin: await createLocalReq({ user: principal(admin) }, payload),
    }
    let checked = 0
    for (const collection of payload.config.collections) {
      const owned = engineOwnedFields[collection.slug] ?? []
      const fields = walk(collection.fields)
      // Every listed path is a field of the collection: the list cannot name something that is not there.
      for (const path of owned) expect(fields.map((f) => f.path), `${collection.slug}.${path}`).toContain(path)
      for (const field of fields.filter((f) => isUnderAny(f.path, owned))) {
        checked++
        for (const who of ['worker', 'owner', 'collaborator'] as const) {
          const req = requests[who]
          expect(await mayWrite(collection.access.update, field.access.update, req, doc), `${who} updates ${collection.slug}.${field.path}`).toBe(false)
          // At creation a person may name the initial status only (the creation-status rule answers 409 otherwise).
          if (field.path !== 'status') {
            expect(await mayWrite(collection.access.create, field.access.create, req, doc), `${who} creates ${collection.slug}.${field.path}`).toBe(false)
          }
        }
        const isBookkeeping = isUnderAny(field.path, engineBookkeepingFields[collection.slug])
        expect(await mayWrite(collection.access.update, field.access.update, requests.admin, doc), `admin updates ${collection.slug}.${field.path}`).toBe(!isBookkeeping)
      }
    }
    expect(checked).toBeGreaterThan(20)
  })

  it('cover every path the engine writes (claim, heartbeat, complete, fail, cancel)', async () => {
    const raw = payload.db.collections[slugs.tasks].collection
    await raw.deleteMany({}) // each claim below takes the one task there is
    const flatten = (value: unknown, prefix = ''): Map<string, string> => {
      const out = new Map<string, string>()
      if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !('toHexString' in value)) {
        for (const [key, inner] of Object.entries(value)) for (const [path, v] of flatten(inner, prefix ? `${prefix}.${key}` : key)) out.set(path, v)
      } else out.set(prefix, JSON.stringify(value))
      return out
    }
    const written = new Set<string>()
    const track = async (id: string, step: () => Promise<unknown>) => {
      const before = flatten(await raw.findOne({ _id: new (await import('mongoose')).Types.ObjectId(id) }))
      await step()
      const after = flatten(await raw.findOne({ _id: new (await import('mongoose')).Types.ObjectId(id) }))
      for (const path of new Set([...before.keys(), ...after.keys()])) if (before.get(path) !== after.get(path)) written.add(path)
    }
    const queue = createTaskQueue({ payload, retryPolicies: { image_generation: { maxRetries: 1, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 } } })
    const enqueue = () => payload.create({ collection: slugs.tasks, data: { project: project.id, taskType: 'image_generation' } as never })
    const completed = await enqueue()
    await track(String(completed.id), () => queue.claim({ workerId: 'w', types: ['image_generation'] }))
    await track(String(completed.id), () => queue.heartbeat({ taskId: String(completed.id), attempt: 1, workerId: 'w', progress: { percentage: 40, currentStep: 'x' } }))
    await track(String(completed.id), () => queue.complete({ taskId: String(completed.id), attempt: 1, workerId: 'w', output: { result: { ok: 1 }, metrics: { cost: 1, tokensUsed: 2 } } }))
    const failed = await enqueue()
    await track(String(failed.id), () => queue.claim({ workerId: 'w', types: ['image_generation'] }))
    await track(String(failed.id), () => queue.fail({ taskId: String(failed.id), attempt: 1, workerId: 'w', error: { code: 'E', message: 'm' } }))
    await track(String(failed.id), () => queue.cancel({ taskId: String(failed.id) }))
    const outside = [...written].filter((path) => path !== 'updatedAt' && !isUnderAny(path, engineOwnedFields[slugs.tasks]))
    expect(outside).toEqual([])
    expect(written).toContain('status')
  })
})

describe('through the Local API on a caller’s behalf', () => {
  it('a member’s write of the state is dropped, a worker’s update is refused, an admin repairs', async () => {
    const task: any = await payload.create({ collection: slugs.tasks, data: { project: project.id, taskType: 'image_generation' } as never })
    const media = await payload.find({ collection: slugs.media, limit: 1, depth: 0 })
    const attack = {
      status: 'processing',
      output: { result: { forged: true }, mediaId: media.docs[0]?.id ?? null },
      worker: { workerId: 'intruder', startedAt: new Date().toISOString(), heartbeat: new Date().toISOString() },
      error: { code: 'X', message: 'forged', retryCount: 99 },
      progress: { percentage: 100, currentStep: 'done' },
      lease: { attempt: 7, expiresAt: new Date(Date.now() + 1e9).toISOString() },
      completedAt: new Date().toISOString(),
      priority: 6,
    }
    for (const member of [owner, collaborator]) {
      const updated: any = await loose(payload).update({ collection: slugs.tasks, id: task.id, data: attack as never, ...as(member) })
      expect(updated.priority).toBe(6) // the definition is theirs
      expect(updated.status).toBe('queued')
      expect(updated.output?.result ?? null).toBeNull()
      expect(updated.worker?.workerId ?? null).toBeNull()
      expect(updated.error?.code ?? null).toBeNull()
      expect(updated.progress?.percentage ?? 0).toBe(0)
      expect(updated.lease?.attempt ?? null).toBeNull()
      expect(updated.completedAt ?? null).toBeNull()
    }
    const refused = await loose(payload).update({ collection: slugs.tasks, id: task.id, data: attack as never, ...as(keyOwner, 'api-key') }).catch((e: any) => e)
    expect(refused.status).toBe(403)
    const repaired: any = await loose(payload).update({
      collection: slugs.tasks,
      id: task.id,
      data: { status: 'cancelled', error: { code: 'REPAIRED', message: 'by an admin' }, lease: { attempt: 7 } } as never,
      ...as(admin),
    })
    expect(repaired.status).toBe('cancelled')
    expect(repaired.error?.code).toBe('REPAIRED')
    expect(repaired.lease?.attempt ?? null).toBeNull() // the bookkeeping is the engine's alone
  })

  it('a member creating a task sets none of the state (only the initial status)', async () => {
    const created: any = await loose(payload).create({
      collection: slugs.tasks,
      data: { project: project.id, taskType: 'image_generation', status: 'queued', output: { result: { forged: 1 } }, worker: { workerId: 'w' }, error: { code: 'X' }, progress: { percentage: 90 } } as never,
      ...as(owner),
    })
    expect(created.status).toBe('queued')
    expect(created.output?.result ?? null).toBeNull()
    expect(created.worker?.workerId ?? null).toBeNull()
    expect(created.error?.code ?? null).toBeNull()
    expect(created.progress?.percentage ?? 0).toBe(0)
  })
})
