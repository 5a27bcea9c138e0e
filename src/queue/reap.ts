import { idOf, type QueueContext } from './queueContext'
import { isDuplicateKeyError } from './queueStore'
import { reconcile } from './reconcile'

/**
 * Takes back tasks whose lease ran out (a failed attempt: retried with backoff or failed for good), and re-applies
 * the latest settlement to any processing task whose attempt already ended (a write lost on FerretDB).
 */
export async function reapExpired(ctx: QueueContext, { limit = 50 }: { limit?: number } = {}): Promise<number> {
  await ctx.ready()
  ctx.state.lastReapAt = ctx.now().getTime()
  const stale = await ctx.db.tasks
    .find({ status: 'processing', $or: [{ 'lease.expiresAt': { $lt: ctx.now() } }, { 'lease.expiresAt': null }] }, { projection: { _id: 1 } })
    .limit(limit)
    .toArray()
  let reaped = 0
  for (const { _id } of stale) {
    if (await reconcile(ctx, { taskId: idOf(_id) })) reaped++
  }
  return reaped
}

/**
 * Runs the expiry sweep if this period's reaper turn is this engine's: the first claim (of any process) whose
 * insert of the period's turn lands sweeps; the others skip it.
 */
export async function reapInTurn(ctx: QueueContext, periodMs: number) {
  const at = ctx.now().getTime()
  if (at - ctx.state.lastReapAt < periodMs) return
  ctx.state.lastReapAt = at
  const period = Math.floor(at / periodMs)
  try {
    await ctx.db.reaperTurns.insertOne({ _id: period, at: ctx.now() })
  } catch (err) {
    if (isDuplicateKeyError(err)) return // another process sweeps this period
    throw err
  }
  // Earlier turns are spent (a late process that re-inserts one only sweeps once more, which is harmless).
  await ctx.db.reaperTurns.deleteMany({ _id: { $lt: period } })
  await reapExpired(ctx)
}
