import { randomBytes } from 'node:crypto'

/**
 * Stored media names. Every upload is stored as `<24 hex random>-<uploaded name>`, and Payload derives the image
 * sizes from that (`<stored base>-<w>x<h>.<ext>`), so every object a document owns starts with its own random
 * prefix: no upload can be given a name another document owns (an original or a size, on disk or in the bucket),
 * no delete or replace can remove another document's object, and the stored name never depends on, or tells,
 * which names other tenants hold (Payload's `x-1.png` renaming never happens).
 */
const STORED_PREFIX = /^[0-9a-f]{24}-/

/** The longest part of the uploaded name kept (before the extension), so stored names stay far below file-system limits. */
const MAX_STEM_LENGTH = 80
const MAX_EXTENSION_LENGTH = 16

export function storedFileName(uploadedName: string, random: string = randomBytes(12).toString('hex')): string {
  const base = uploadedName.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  const stem = (dot > 0 ? base.slice(0, dot) : base).slice(0, MAX_STEM_LENGTH) || 'file'
  const extension = dot > 0 ? base.slice(dot, dot + 1 + MAX_EXTENSION_LENGTH) : ''
  return `${random}-${stem}${extension}`
}

/** Whether a stored name carries a server-chosen random prefix (media uploaded before names were made unique do not). */
export const isServerChosenName = (name: string): boolean => STORED_PREFIX.test(name)

/** The name the user uploaded, for display (the stored name without its random prefix). */
export const uploadedNameOf = (storedName: string): string => storedName.replace(STORED_PREFIX, '')
