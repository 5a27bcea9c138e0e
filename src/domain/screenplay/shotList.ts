import { parse } from 'csv-parse/sync'

import { TextInputError } from '../../errors'
import { timesOfDay } from '../../model/options'
import type { TimeOfDay } from './types'

/** The shot list's columns, in order. The editable ones are read back on import; the others are for reading. */
export const shotListColumns = [
  'id',
  'episode',
  'sceneNumber',
  'title',
  'location',
  'timeOfDay',
  'mood',
  'duration',
  'characters',
  'productionStatus',
  'attempts',
  'panelCount',
  'media',
] as const
export type ShotListColumn = (typeof shotListColumns)[number]

export const editableShotListColumns = ['title', 'location', 'timeOfDay', 'mood', 'duration'] as const
export type EditableColumn = (typeof editableShotListColumns)[number]

export type ShotListRow = Record<ShotListColumn, string | number | null | undefined>

/** One cell as RFC 4180 writes it: quoted when it holds a comma, a quote, or a line break (quotes doubled). */
export function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record with its CRLF line end (RFC 4180). */
export const csvRecord = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`

export const shotListHeader = () => csvRecord([...shotListColumns])
export const shotListRecord = (row: ShotListRow) => csvRecord(shotListColumns.map((column) => row[column]))

/** The values of the editable columns a row sets (an empty cell clears the field). */
export type ShotListEdit = { title?: string | null; location?: string | null; timeOfDay?: TimeOfDay | null; mood?: string | null; duration?: number | null }

export type ShotListLine = {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number
  /** The line of the file where the row starts. */
  line: number
  id: string | null
  edit: ShotListEdit
}

export type ParsedShotList = { rows: ShotListLine[]; ignoredColumns: string[]; readOnlyColumns: string[] }

const MAX_TEXT = 500

/**
 * Reads an edited shot list: a header row naming its columns (any order; matched case-insensitively), then one row
 * per scene. Only `id` and the editable columns are read; read-only columns are skipped and unknown ones reported.
 * A malformed file or a bad cell is a 400 naming the line, the row and the column.
 */
export function readShotList(text: string): ParsedShotList {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1
    throw new TextInputError({ line, path: 'file', expected: `RFC 4180 CSV (${(err as Error).message})` })
  }
  const [header, ...body] = records
  if (!header) throw new TextInputError({ line: 1, path: 'file', expected: 'a header row naming the columns (id, title, location, …)' })
  const names = header.record.map((name) => name.trim())
  const known = new Map(shotListColumns.map((column) => [column.toLowerCase(), column]))
  const columns = names.map((name) => known.get(name.toLowerCase()))
  const ignoredColumns = names.filter((_name, index) => !columns[index])
  const readOnlyColumns = names.filter(
    (_name, index) => columns[index] && columns[index] !== 'id' && !(editableShotListColumns as readonly string[]).includes(columns[index]!),
  )
  if (!columns.some((column) => column && (editableShotListColumns as readonly string[]).includes(column))) {
    throw new TextInputError({ line: 1, path: 'file', expected: `a header row with at least one editable column (${editableShotListColumns.join(', ')})` })
  }

  let previousEnd = header.info.lines
  const rows = body.map(({ record, info }, index): ShotListLine => {
    const row = index + 2
    const line = previousEnd + 1
    previousEnd = info.lines
    const fail = (column: string, expected: string): never => {
      throw new TextInputError({ line, path: `rows.${row}.${column}`, expected: `row ${row}, column ${column}: ${expected}` })
    }
    const edit: ShotListEdit = {}
    let id: string | null = null
    columns.forEach((column, at) => {
      const raw = (record[at] ?? '').trim()
      if (column === 'id') {
        if (raw && !/^[0-9a-f]{24}$/i.test(raw)) fail('id', 'a scene id (24 hexadecimal characters), or empty for a new scene')
        id = raw || null
      } else if (column === 'timeOfDay') {
        const value = raw.toLowerCase()
        if (value && !(timesOfDay as readonly string[]).includes(value)) fail(column, `one of ${timesOfDay.join(', ')}, or empty`)
        edit.timeOfDay = (value || null) as TimeOfDay | null
      } else if (column === 'duration') {
        const value = raw === '' ? null : Number(raw)
        if (value !== null && (!Number.isFinite(value) || value < 0 || value > 100_000)) fail(column, 'seconds, a number from 0 to 100000, or empty')
        edit.duration = value
      } else if (column === 'title' || column === 'location' || column === 'mood') {
        if (raw.length > MAX_TEXT) fail(column, `at most ${MAX_TEXT} characters`)
        edit[column] = raw || null
      }
    })
    return { row, line, id, edit }
  })
  const seen = new Map<string, number>()
  for (const { id, row, line } of rows) {
    if (!id) continue
    if (seen.has(id)) throw new TextInputError({ line, path: `rows.${row}.id`, expected: `row ${row}, column id: each scene once (row ${seen.get(id)} has it too)` })
    seen.set(id, row)
  }
  return { rows, ignoredColumns, readOnlyColumns }
}
