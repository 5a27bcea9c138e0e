import { AppError } from './AppError'

/**
 * A backup archive that cannot be read or restored as it stands (damaged, truncated, a target that already holds
 * data, a restore already running); the ops scripts print its message. Running the same again would not help.
 */
export class ArchiveError extends AppError {
  static override readonly logLevel = 'error'

  constructor(message: string) {
    super({ message, status: 500, code: 'ARCHIVE_INVALID', retryable: false, internal: true })
  }
}
