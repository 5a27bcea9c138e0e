import { expect } from 'vitest'

type PayloadError = { status?: number; message: string; data?: { errors?: { path: string; message: string }[] } }

/** Awaits a Local API call that must fail, and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<PayloadError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok) throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome.value).slice(0, 300)}`)
  return outcome.error as PayloadError
}

/** A 400 ValidationError naming exactly these field paths (in any order). */
export async function expectFieldErrors(promise: Promise<unknown>, paths: string[]) {
  const error = await rejection(promise)
  expect(error.status, error.message).toBe(400)
  expect([...new Set((error.data?.errors ?? []).map((e) => e.path))].sort()).toEqual([...new Set(paths)].sort())
  return error
}

/** A 409 conflict. */
export async function expectConflict(promise: Promise<unknown>) {
  const error = await rejection(promise)
  expect(error.status, error.message).toBe(409)
  return error
}
