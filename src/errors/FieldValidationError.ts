import { ValidationError as PayloadValidationError } from 'payload'

/**
 * Field errors of a write, thrown from collection hooks: Payload's own `ValidationError`, so the admin shows each
 * message on its field and REST answers Payload's `errors[].data.errors` beside the family's
 * `{ status: 400, code: 'VALIDATION_FAILED', details: { issues } }` (toErrorBody). Constructed as Payload's:
 * `{ collection, errors: [{ path, message }] }`. It keeps Payload's name, which REST answers carry (`errors[].name`)
 * and Payload's clients compare.
 */
export class FieldValidationError extends PayloadValidationError {
  constructor(...args: ConstructorParameters<typeof PayloadValidationError>) {
    super(...args)
    this.name = 'ValidationError'
  }
}

/** Any field-validation error of a write: ours, or Payload's own (a field's `validate`, a required field). */
export const isFieldValidationError = (err: unknown): err is PayloadValidationError => err instanceof PayloadValidationError
