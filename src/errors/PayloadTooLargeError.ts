import { AppError } from './AppError'

/** The request body is larger than the endpoint accepts. */
export class PayloadTooLargeError extends AppError {
  constructor({ limitBytes }: { limitBytes: number }) {
    super({ message: `The body exceeds ${limitBytes} bytes`, status: 413, code: 'PAYLOAD_TOO_LARGE', details: { limitBytes } })
  }
}
