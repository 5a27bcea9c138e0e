import mongoose from 'mongoose'

/**
 * Recognises database-layer rejections of a request's input that reached mongoose unchecked: a value that cannot be
 * cast (an id that is no ObjectId, an object where a string belongs), a schema validator (an enum given a number),
 * or an operator applied where it cannot be (`near` on an id). These are the caller's mistakes, so they answer 400
 * naming the path, never 500. Anything else returns undefined.
 */
/** Server codes for queries malformed by their input: BadValue, FailedToParse, TypeMismatch, empty field names. */
const malformedQueryCodes = new Set([2, 9, 14, 56, 15998])

// FerretDB (SQLite backend) reports a unique-index violation on update as InternalError (code 1) with SQLite's text,
// e.g. "UNIQUE constraint failed: index 'users_5e7cc513_email_1'", where MongoDB sends E11000 (which the Payload
// adapter already turns into a ValidationError). The index name ends in "<field>_1"; a compound index's last field
// is the one it guards (the others are its scope, e.g. project_1_episode_1_sceneNumber_1 guards sceneNumber).
const ferretUniqueViolation = /UNIQUE constraint failed: index '(?:[^']*_)?([^'_]+)_-?1'/

export function databaseInputIssue(err: unknown): { message: string; issues: { path: string; message: string }[] } | undefined {
  // A value another document already holds under a unique index (e.g. changing one's email to a taken one).
  if (err instanceof mongoose.mongo.MongoServerError) {
    // keyValue lists the index's fields in order: the last is the guarded one, the others its scope.
    const path = Number(err.code) === 11000 ? Object.keys((err as { keyValue?: object }).keyValue ?? {}).at(-1) : ferretUniqueViolation.exec(err.message)?.[1]
    if (path !== undefined) return { message: 'Value must be unique', issues: [{ path, message: 'Value must be unique' }] }
  }
  if (err instanceof mongoose.Error.CastError) {
    return { message: 'Invalid value', issues: [{ path: err.path, message: `Cannot be read as ${err.kind}` }] }
  }
  if (err instanceof mongoose.Error.ValidationError) {
    const issues = Object.values(err.errors).map((issue) => ({ path: issue.path, message: 'Invalid value' }))
    return { message: 'Invalid value', issues }
  }
  if (err instanceof mongoose.Error.StrictModeError || err instanceof mongoose.Error.StrictPopulateError) {
    return { message: 'Invalid query', issues: [{ path: '', message: 'Unknown path' }] }
  }
  // The server refused the query as malformed, e.g. a `$natural` or empty sort key passed through from a query string.
  if (err instanceof mongoose.mongo.MongoServerError && malformedQueryCodes.has(Number(err.code))) {
    return { message: 'Invalid query', issues: [{ path: '', message: err.message }] }
  }
  // An id that is no ObjectId reached the driver (e.g. inside an array where one id was expected).
  if (err instanceof mongoose.mongo.BSON.BSONError) {
    return { message: 'Invalid value', issues: [{ path: '', message: err.message }] }
  }
  // mongoose rejects operators a field type does not support ("Can't use $near") and empty sort keys ('Invalid field ""
  // passed to sort()') with a bare Error.
  if (err instanceof Error && err.constructor === Error && /^(Can't use \$\w+|Invalid field .* passed to sort\(\))/.test(err.message)) {
    return { message: 'Invalid query', issues: [{ path: '', message: err.message }] }
  }
  return undefined
}
