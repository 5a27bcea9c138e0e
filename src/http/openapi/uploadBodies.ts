import { z } from 'zod'

/** A file field of a multipart upload (screenplays, shot lists): UTF-8 text. */
export const uploadedFileSchema = z.string().meta({ contentMediaType: 'application/octet-stream', description: 'The file (UTF-8 text)' })

/** What the errors of a text upload mean (src/http/uploadedText.ts, src/errors/TextInputError.ts). */
export const textUploadNotes = {
  400: 'Bad input: a body that is not a screenplay (`error.details.line` is the line, `expected` what was expected there — a dialogue line with no cue, XML that is not Final Draft, text that is not UTF-8), or a field the schema refuses',
  413: 'The file (or body) is over 1 MB',
}
