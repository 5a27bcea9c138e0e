import type { AfterErrorHook } from 'payload'

import { databaseInputIssue } from '../errors/databaseInputIssue'

/**
 * REST and GraphQL: input that only the database layer rejected (see databaseInputIssue) answers 400 with Payload's
 * usual error shape instead of "Something went wrong" with 500.
 */
export const answerInvalidDatabaseInput: AfterErrorHook = ({ error, graphqlResult }) => {
  const issue = databaseInputIssue(error)
  if (!issue) return
  if (graphqlResult) {
    return { graphqlResult: { ...graphqlResult, message: issue.message, extensions: { ...graphqlResult.extensions, statusCode: 400 } } }
  }
  return {
    status: 400,
    response: { errors: [{ name: 'ValidationError', message: issue.message, data: { errors: issue.issues } }] },
  }
}
