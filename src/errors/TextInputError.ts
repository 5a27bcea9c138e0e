import { AppError } from './AppError'
import type { FieldIssue } from './ValidationError'

/**
 * An uploaded text (a screenplay, a shot list) that cannot be taken: the line (1-based) where it goes wrong and
 * what was expected there, plus the usual `issues` (the field: `text`/`file`, or a shot-list row's column).
 */
export class TextInputError extends AppError<{ line: number; expected: string; issues: FieldIssue[] }> {
  readonly line: number

  constructor({ line, expected, path = 'text' }: { line: number; expected: string; path?: string }) {
    const message = `Line ${line}: ${expected}`
    super({ message, status: 400, code: 'INVALID_TEXT', details: { line, expected, issues: [{ path, message }] } })
    this.line = line
  }
}
