import { AppError } from './AppError'

/** The path exists but does not answer this HTTP method; `allowed` becomes the Allow header. */
export class MethodNotAllowedError extends AppError<{ method: string; allowed: string[] }> {
  constructor({ method, allowed }: { method: string; allowed: string[] }) {
    super({
      message: `${method} is not allowed here; allowed: ${allowed.join(', ')}`,
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      details: { method, allowed },
    })
  }
}
