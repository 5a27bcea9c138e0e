import { ESLint } from 'eslint'
import path from 'node:path'
import { QueryError, ValidationError as PayloadValidationError } from 'payload'
import { describe, expect, it } from 'vitest'

import {
  AppError,
  ArchiveError,
  BadRequestError,
  FieldValidationError,
  isFieldValidationError,
  MediaToolError,
  ProjectWriteForbidden,
  PromptTaskError,
  ProviderError,
  QuotaExceededError,
  taskFailure,
  TaskInputError,
  toErrorBody,
  toErrorResponse,
} from '../../../src/errors'
import * as family from '../../../src/errors'
import { errorLoggingLevels } from '../../../src/errors/errorLoggingLevels'

const root = path.resolve(import.meta.dirname, '../../..')

describe('the error family (src/errors)', () => {
  it('throws field errors as Payload’s ValidationError, under Payload’s name, rendered with the field paths', () => {
    const err = new FieldValidationError({ collection: 'scenes', errors: [{ path: 'episode', message: 'Not in this project' }] })
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(isFieldValidationError(err)).toBe(true)
    expect(err.name).toBe('ValidationError')
    expect(err.data.errors).toEqual([{ path: 'episode', message: 'Not in this project' }])
    expect(toErrorBody(err)).toEqual({
      error: { status: 400, code: 'VALIDATION_FAILED', message: err.message, details: { issues: [{ path: 'episode', message: 'Not in this project' }] } },
    })
    expect(isFieldValidationError(new BadRequestError({ message: 'no' }))).toBe(false)
  })

  it('answers the project-write refusal and a malformed query as before: 403 FORBIDDEN, 400 BAD_REQUEST with its paths', () => {
    expect(toErrorBody(new ProjectWriteForbidden())).toEqual({
      error: { status: 403, code: 'FORBIDDEN', message: 'You may not write into this project (or the document it is taken from does not exist).' },
    })
    expect(toErrorBody(new BadRequestError({ message: 'Invalid sort: "x"' }))).toEqual({ error: { status: 400, code: 'BAD_REQUEST', message: 'Invalid sort: "x"' } })
    const objectData = new BadRequestError({ message: 'The document data must be a JSON object', details: { errors: [{ path: '', message: 'Must be an object' }] } })
    expect(toErrorBody(objectData).error.details).toEqual({ errors: [{ path: '', message: 'Must be an object' }] })
  })

  it('gives the task engine a typed code and retryable, and keeps a foreign error’s own code, retried', () => {
    expect(taskFailure(new TaskInputError('needs input.parameters.prompt'))).toEqual({ code: 'INVALID_TASK_INPUT', message: 'needs input.parameters.prompt', retryable: false })
    expect(taskFailure(new PromptTaskError('rate limited', true))).toMatchObject({ code: 'PROMPT_FAILED', retryable: true })
    expect(taskFailure(new PromptTaskError('no template', false))).toMatchObject({ code: 'PROMPT_FAILED', retryable: false })
    expect(taskFailure(new MediaToolError('ffmpeg took too long', { code: 'MEDIA_TOOL_TIMEOUT', retryable: true }))).toMatchObject({ code: 'MEDIA_TOOL_TIMEOUT', retryable: true })
    expect(taskFailure(new MediaToolError('not media'))).toMatchObject({ code: 'MEDIA_TOOL_FAILED', retryable: false })
    expect(taskFailure(new ProviderError({ provider: 'fal', message: 'refused', retryable: false }))).toMatchObject({ code: 'PROVIDER_ERROR', retryable: false })
    expect(taskFailure(new QuotaExceededError({ limit: 'maxProjects', value: 3, detail: 'at most 3' }))).toMatchObject({ code: 'QUOTA_EXCEEDED', retryable: true })
    expect(taskFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ code: 'ECONNRESET', message: 'socket hang up', retryable: true })
    expect(taskFailure(new Error('bug'))).toEqual({ code: 'HANDLER_ERROR', message: 'bug', retryable: true })
    expect(new ArchiveError('damaged').retryable).toBe(false)
  })

  it('never shows a client the message of an internal error (media tools, archives)', async () => {
    for (const err of [new ArchiveError('/srv/backups/a.ejson.gz is damaged'), new MediaToolError('ffmpeg failed: /tmp/x')]) {
      const response = toErrorResponse(err)
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ error: { status: 500, code: 'INTERNAL_ERROR', message: 'Internal Server Error' } })
    }
  })

  it('builds Payload’s loggingLevels from every class of the family: the caller’s errors info, the operator’s error', () => {
    const levels = errorLoggingLevels() as Record<string, string>
    const classes = Object.values(family).filter((value) => typeof value === 'function' && value.prototype instanceof AppError) as { name: string }[]
    expect(classes.length).toBeGreaterThanOrEqual(17)
    for (const { name } of classes) expect(levels[name], name).toBeDefined()
    for (const name of ['ConflictError', 'QuotaExceededError', 'RateLimitedError', 'NotFoundError', 'ForbiddenError', 'UnauthorizedError', 'MethodNotAllowedError', 'PayloadTooLargeError', 'QueryLimitError', 'ProjectWriteForbidden', 'BadRequestError', 'TaskInputError']) {
      expect(levels[name], name).toBe('info')
    }
    expect(levels[QueryError.name]).toBe('info')
    for (const name of ['ProviderError', 'PromptTaskError', 'ArchiveError', 'MediaToolError']) expect(levels[name], name).toBe('error')
  })

  it('refuses importing Payload’s APIError or ValidationError outside src/errors (lint)', async () => {
    const eslint = new ESLint({ cwd: root })
    const source = "import { APIError, ValidationError } from 'payload'\n\nexport const both = [APIError, ValidationError]\n"
    const errorsAt = async (file: string) =>
      (await eslint.lintText(source, { filePath: path.join(root, file) }))[0].messages.filter((message) => message.ruleId === 'no-restricted-imports')
    expect(await errorsAt('src/collections/Scenes/hooks/scratchErrors.ts')).toHaveLength(2)
    expect(await errorsAt('src/services/scratchErrors.ts')).toHaveLength(2)
    expect(await errorsAt('src/errors/scratchErrors.ts')).toEqual([])
  })
})
