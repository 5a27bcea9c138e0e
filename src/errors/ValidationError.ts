import { AppError } from './AppError'

export type FieldIssue = { path: string; message: string }

/** Input rejected before it reached the database; `issues` name each offending field by its dotted path. */
export class ValidationError extends AppError<{ issues: FieldIssue[] }> {
  readonly issues: FieldIssue[]

  constructor({ issues, message = 'The request is invalid' }: { issues: FieldIssue[]; message?: string }) {
    super({ message, status: 400, code: 'VALIDATION_FAILED', details: { issues } })
    this.issues = issues
  }
}
