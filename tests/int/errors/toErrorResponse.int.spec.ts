import mongoose from 'mongoose'
import { APIError, Forbidden, ValidationError as PayloadValidationError } from 'payload'
import { describe, expect, it } from 'vitest'

import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  QuotaExceededError,
  RateLimitedError,
  toErrorResponse,
  UnauthorizedError,
  ValidationError,
} from '../../../src/errors'

const answer = async (err: unknown) => {
  const logged: unknown[] = []
  const response = toErrorResponse(err, ({ err: cause }) => logged.push(cause))
  return { status: response.status, body: await response.json(), headers: response.headers, logged }
}

describe('toErrorResponse', () => {
  it.each([
    [new NotFoundError({ resource: 'Project', id: 'x' }), 404, 'NOT_FOUND'],
    [new UnauthorizedError(), 401, 'UNAUTHORIZED'],
    [new ForbiddenError(), 403, 'FORBIDDEN'],
    [new ValidationError({ issues: [{ path: 'a.b', message: 'bad' }] }), 400, 'VALIDATION_FAILED'],
    [new ConflictError({ message: 'taken' }), 409, 'CONFLICT'],
    [new QuotaExceededError({ limit: 'maxProjects', value: 3, detail: 'at most 3 projects' }), 403, 'QUOTA_EXCEEDED'],
    [new RateLimitedError({ retryAfterSeconds: 7, policy: 'graphql' }), 429, 'RATE_LIMITED'],
    [new Forbidden(), 403, 'FORBIDDEN'],
    [new APIError('Locked out', 423, null, true), 423, 'LOCKED'],
  ])('maps %s to %i %s', async (err, status, code) => {
    const { status: actual, body, logged } = await answer(err)
    expect(actual).toBe(status)
    expect(body.error).toMatchObject({ status, code, message: expect.any(String) })
    expect(logged).toEqual([])
  })

  it('names field paths for app and Payload validation errors', async () => {
    expect((await answer(new ValidationError({ issues: [{ path: 'limit', message: 'too big' }] }))).body.error.details.issues).toEqual([
      { path: 'limit', message: 'too big' },
    ])
    const payloadError = new PayloadValidationError({ collection: 'projects', errors: [{ path: 'genre', message: 'invalid' }] })
    expect((await answer(payloadError)).body.error.details.issues).toEqual([{ path: 'genre', message: 'invalid' }])
  })

  it('answers a database cast error (input the database refused) with 400', async () => {
    const cast = new mongoose.Error.CastError('ObjectId', 'nope', 'project')
    const { status, body } = await answer(cast)
    expect(status).toBe(400)
    expect(body.error.details.issues[0].path).toBe('project')
  })

  it("keeps a Payload APIError's data as details (a 409's children, a 429's time left)", async () => {
    const { body } = await answer(new APIError('Still has children', 409, { children: { episodes: 2 } }, true))
    expect(body.error).toEqual({ status: 409, code: 'CONFLICT', message: 'Still has children', details: { children: { episodes: 2 } } })
    expect((await answer(new ConflictError({ message: 'Illegal', details: { allowed: ['scripting'] } }))).body.error.details).toEqual({ allowed: ['scripting'] })
  })

  it('sets Retry-After on 429', async () => {
    expect((await answer(new RateLimitedError({ retryAfterSeconds: 12, policy: 'graphql' }))).headers.get('retry-after')).toBe('12')
  })

  it('turns anything else into a bare 500 that reveals nothing, and logs it', async () => {
    const secret = new Error('connection string mongodb://admin:hunter2@db/prod failed')
    for (const err of [secret, new TypeError('x is undefined'), 'a string', null, new APIError('internal detail', 500)]) {
      const { status, body, logged } = await answer(err)
      expect(status).toBe(500)
      expect(body).toEqual({ error: { status: 500, code: 'INTERNAL_ERROR', message: 'Internal Server Error' } })
      expect(logged).toEqual([err])
    }
  })
})
