import { z } from 'zod'

import type { Endpoint } from './openApiDocument'

import { exportScriptSchema, exportShotListSchema, importScreenplaySchema, importShotListSchema } from '../../services/schemas/screenplaySchemas'
import { screenplayImportSchema, scriptFileSchema, shotListFileSchema, shotListImportSchema } from './responseSchemas'

/**
 * The contract of the screenplay and shot-list routes (issue 24), all in one place: request schemas are the ones the
 * services parse with (src/services/schemas/screenplaySchemas.ts), responses those of responseSchemas.ts.
 */
const uploadedFile = z.string().meta({ contentMediaType: 'application/octet-stream', description: 'The file (UTF-8 text)' })
const importFields = importScreenplaySchema.omit({ episodeId: true, text: true }).partial({ format: true })

const textErrors = {
  400: 'Bad input: a body that is not a screenplay (`error.details.line` is the line, `expected` what was expected there — a dialogue line with no cue, XML that is not Final Draft, text that is not UTF-8), or a field the schema refuses',
  413: 'The file (or body) is over 1 MB',
}

export const screenplayContracts: Endpoint[] = [
  {
    method: 'post',
    path: '/api/v1/episodes/{id}/import',
    operationId: 'importEpisodeScreenplay',
    summary:
      'Import a Fountain or Final Draft screenplay into the episode (members who may write it): scenes from the headings, characters created once (matched by name), the text as script.content; mode append|replace, dryRun answers the preview; all or nothing',
    pathParams: ['id'],
    body: importScreenplaySchema.omit({ episodeId: true }),
    bodyContent: {
      'multipart/form-data': importFields.extend({ file: uploadedFile }).describe('`format` may be left out: a `.fdx` file name is Final Draft, any other Fountain'),
    },
    response: { status: 200, schema: screenplayImportSchema, description: 'What was created (or, with dryRun, would be)' },
    errors: [400, 401, 404, 409, 413],
    errorNotes: {
      ...textErrors,
      409: 'An append of a screenplay the episode already holds (same text or same scenes), or a replace that would remove scenes with generated media (`error.details.scenes`); send force to go ahead',
    },
  },
  {
    method: 'get',
    path: '/api/v1/episodes/{id}/script',
    operationId: 'exportEpisodeScript',
    summary: 'The episode rebuilt from its scenes as Fountain (text/plain) or Final Draft (application/xml); importing it gives the same scenes',
    pathParams: ['id'],
    query: exportScriptSchema.omit({ episodeId: true }),
    response: { status: 200, schema: scriptFileSchema, description: 'The script, as a download', contentTypes: ['text/plain', 'application/xml'] },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/episodes/{id}/scenes.csv',
    operationId: 'exportEpisodeShotList',
    summary: "The episode's shot list as CSV (streamed; `bom=1` for spreadsheets)",
    pathParams: ['id'],
    query: exportShotListSchema,
    response: { status: 200, schema: shotListFileSchema, description: 'The shot list, as a download', contentTypes: ['text/csv'] },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/episodes/{id}/scenes.csv',
    operationId: 'importEpisodeShotList',
    summary:
      'Re-import an edited shot list: rows with an id update title, location, timeOfDay, mood, duration where changed; rows without one create a scene; unknown columns ignored with a notice',
    pathParams: ['id'],
    body: importShotListSchema.omit({ episodeId: true }),
    bodyContent: {
      'multipart/form-data': z.object({ file: uploadedFile }),
      'text/csv': z.string().describe('The CSV itself as the body'),
    },
    response: { status: 200, schema: shotListImportSchema, description: 'What each row did' },
    errors: [400, 401, 404, 413],
    errorNotes: {
      400: 'A row that cannot be taken (nothing is written): `error.details.line`, and `issues[0].path` = rows.<row>.<column>',
      413: textErrors[413],
    },
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/scenes.csv',
    operationId: 'exportProjectShotList',
    summary: "Every episode's shot list in one CSV, episode by episode (streamed; `bom=1` for spreadsheets)",
    pathParams: ['id'],
    query: exportShotListSchema,
    response: { status: 200, schema: shotListFileSchema, description: 'The shot list, as a download', contentTypes: ['text/csv'] },
    errors: [400, 401, 404],
  },
]
