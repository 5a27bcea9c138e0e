import type { Config } from 'payload'

import { QueryError } from 'payload'

import { AppError, type LogLevel } from './AppError'
import * as family from './index'

type ErrorClass = { name: string; logLevel: LogLevel }

const isFamilyClass = (value: unknown): value is ErrorClass =>
  typeof value === 'function' && (value === AppError || value.prototype instanceof AppError)

/**
 * Payload's log level per error name (`loggingLevels` in payload.config.ts), read off the family itself: every
 * error class src/errors exports, at its `logLevel` (the caller's errors `info`, so a refused request does not log
 * a stack trace; errors an operator must see `error`). Payload's own caller errors are `info` by Payload's
 * defaults (Forbidden, NotFound, ValidationError …) but for QueryError (a malformed `where`), added here.
 */
export function errorLoggingLevels(): Config['loggingLevels'] {
  const levels: Record<string, LogLevel> = { [QueryError.name]: 'info' }
  for (const value of Object.values(family)) if (isFamilyClass(value)) levels[value.name] = value.logLevel
  // Payload types the keys as its own error names only; it looks levels up by any error's name.
  return levels as Config['loggingLevels']
}
