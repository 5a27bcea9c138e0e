import { z } from 'zod'

import { screenplayFormats } from '../../domain/screenplay/types'
import { idSchema } from './common'

/** Form fields and JSON booleans alike: `true`/`false` (and "1"/"0" from a form). */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((value) => value === true || value === 'true' || value === '1')
  .default(false)

/** POST /episodes/{id}/import: the screenplay (text already decoded) and how to take it. */
export const importScreenplaySchema = z
  .object({
    episodeId: idSchema,
    format: z.enum(screenplayFormats).describe('fountain (plain-text screenplay) or fdx (Final Draft XML)'),
    text: z.string().min(1).describe('The screenplay itself (UTF-8)'),
    mode: z
      .enum(['append', 'replace'])
      .default('append')
      .describe("append: the scenes go after the episode's own; replace: they take the place of every scene of the episode"),
    dryRun: flag.describe('Answer what would be created, write nothing'),
    force: flag.describe('Replace scenes that already have generated media; append a screenplay already imported'),
  })
  .strict()
export type ImportScreenplayDTO = z.input<typeof importScreenplaySchema>

/** GET /episodes/{id}/script?format= */
export const exportScriptSchema = z
  .object({ episodeId: idSchema, format: z.enum(screenplayFormats).default('fountain') })
  .strict()
export type ExportScriptDTO = z.input<typeof exportScriptSchema>

/** GET /episodes/{id}/scenes.csv and /projects/{id}/scenes.csv: `?bom=1` starts the file with a UTF-8 byte-order mark. */
export const exportShotListSchema = z
  .object({ bom: flag.describe('Start with a UTF-8 byte-order mark (spreadsheets then read the file as UTF-8)') })
  .strict()
export type ExportShotListDTO = z.input<typeof exportShotListSchema>

/** POST /episodes/{id}/scenes.csv: the edited shot list (decoded text). */
export const importShotListSchema = z
  .object({ episodeId: idSchema, text: z.string().min(1, 'Required: the CSV file').describe('The CSV (UTF-8)') })
  .strict()
export type ImportShotListDTO = z.input<typeof importShotListSchema>

/** What an import (or its dry run) did or would do. */
export const importReportSchema = z.object({
  dryRun: z.boolean(),
  mode: z.enum(['append', 'replace']),
  format: z.enum(screenplayFormats),
  scenes: z.array(
    z.object({
      id: z.string().nullable().describe('The created scene (null in a dry run)'),
      sceneNumber: z.number().int().nullable(),
      line: z.number().int().describe('Line of the scene heading in the file'),
      title: z.string(),
      location: z.string(),
      timeOfDay: z.string().nullable(),
      dialogueLines: z.number().int(),
      characters: z.array(z.string()),
    }),
  ),
  newCharacters: z.array(z.string()).describe('Characters created (or that would be) — names not yet in the project'),
  existingCharacters: z.array(z.string()),
  removedScenes: z.array(z.string()).describe('Scenes removed by a replace (ids)'),
  episode: z.object({ titleSet: z.boolean(), loglineSet: z.boolean() }),
})
export type ImportReport = z.infer<typeof importReportSchema>

/** POST /episodes/{id}/scenes.csv: what each row of the shot list did. */
export const shotListReportSchema = z.object({
  rows: z.array(
    z.object({
      row: z.number().int().describe('The row as a spreadsheet numbers it (the header is row 1)'),
      id: z.string().nullable(),
      action: z.enum(['updated', 'created', 'unchanged', 'failed']),
      changed: z.array(z.enum(['title', 'location', 'timeOfDay', 'mood', 'duration'])),
      error: z.object({ field: z.string(), message: z.string() }).optional().describe('Why the write of this row was refused'),
    }),
  ),
  notices: z.array(z.string()).describe('Unknown columns ignored, read-only columns not imported'),
  updated: z.number().int(),
  created: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
})
export type ShotListReport = z.infer<typeof shotListReportSchema>
