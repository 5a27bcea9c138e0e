import { it } from 'vitest'
import { createTestPayload } from '../../helpers/payload'
import { fixtures } from '../../helpers/fixtures'
it('dbg', async () => {
  const { payload, cleanup } = await createTestPayload('dbg')
  const make = fixtures(payload)
  const a = await make.user(); const u = await make.user()
  const p = await make.project(u.id)
  const user = await payload.findByID({ collection: 'users', id: u.id })
  const tries: [string, () => Promise<unknown>][] = [
    ['genre number', () => payload.create({ collection: 'projects', data: { title: 'x', genre: -1e12 } as never, user, overrideAccess: false })],
    ['taskType op', () => payload.create({ collection: 'tasks', data: { project: p.id, taskType: { $ne: null } } as never, user, overrideAccess: false })],
    ['rel bad id', () => payload.create({ collection: 'characters', data: { project: p.id, name: 'c', voiceProfile: { audioSample: 'not-' } } as never, user, overrideAccess: false })],
    ['near id', () => payload.find({ collection: 'projects', where: { id: { near: '' } } as never, user, overrideAccess: false })],
    ['id equals array', () => payload.find({ collection: 'projects', where: { id: { equals: ['', ''] } } as never, user, overrideAccess: false })],
  ]
  for (const [label, run] of tries) {
    try { await run(); console.log('RESULT', label, 'ok') } catch (e) { console.log('RESULT', label, (e as Error).constructor.name, (e as any).status, (e as Error).message.slice(0, 200), '\n', (e as Error).stack?.split('\n').slice(1, 6).join('\n')) }
  }
  void a
  await cleanup()
})
