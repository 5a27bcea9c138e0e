import { TextInputError } from '../../errors'

/**
 * Uploaded bytes as text: UTF-8 only (a leading byte-order mark dropped). Text in another encoding (Latin-1,
 * Windows-1252, UTF-16) is refused with the line of the first byte that is not UTF-8, rather than stored garbled.
 */
export function decodeUtf8(bytes: Uint8Array, path = 'file'): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new TextInputError({ line: 1, path, expected: 'UTF-8 text (this file is UTF-16)' })
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    const bad = firstInvalidByte(bytes)
    const line = 1 + bytes.subarray(0, bad).filter((byte) => byte === 0x0a).length
    throw new TextInputError({ line, path, expected: 'UTF-8 text (a byte here is not UTF-8; save the file as UTF-8)' })
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let low = 0
  let high = bytes.length
  // The longest valid prefix, by bisection (a prefix may end mid-sequence, so allow 3 bytes of slack).
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true })
      low = mid
    } catch {
      high = mid - 1
    }
  }
  return low
}

/** Text with Windows and old Mac line ends made `\n`, a leading byte-order mark dropped. */
export const normalizeLineEnds = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')

/** The paragraphs of a stored text: blank-line separated, each line trimmed, empty lines and paragraphs dropped. */
export const paragraphsOf = (text: string | null | undefined): string[] =>
  (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').map((line) => line.trim()).filter(Boolean).join('\n'))
    .filter(Boolean)
