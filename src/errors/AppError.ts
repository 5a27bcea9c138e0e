/**
 * Base of the app's typed errors: each carries the HTTP status and a stable machine-readable code. Only these
 * (and Payload's public APIErrors) reach a client with their message; anything else becomes a bare 500.
 */
export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly details?: unknown

  constructor({ message, status, code, details }: { message: string; status: number; code: string; details?: unknown }) {
    super(message)
    this.name = this.constructor.name
    this.status = status
    this.code = code
    this.details = details
  }
}
