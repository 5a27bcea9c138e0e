/** Small real audio and video files for upload tests (detected by content, as Payload does). */

/** A mono 8-bit PCM WAV of `seconds` of silence. */
export function wavFile({ seconds = 0.1, name = 'clip.wav' }: { seconds?: number; name?: string } = {}) {
  const rate = 8000
  const samples = Math.round(seconds * rate)
  const data = Buffer.alloc(44 + samples)
  data.write('RIFF', 0)
  data.writeUInt32LE(36 + samples, 4)
  data.write('WAVE', 8)
  data.write('fmt ', 12)
  data.writeUInt32LE(16, 16)
  data.writeUInt16LE(1, 20)
  data.writeUInt16LE(1, 22)
  data.writeUInt32LE(rate, 24)
  data.writeUInt32LE(rate, 28)
  data.writeUInt16LE(1, 32)
  data.writeUInt16LE(8, 34)
  data.write('data', 36)
  data.writeUInt32LE(samples, 40)
  data.fill(128, 44)
  return { data, mimetype: 'audio/wav', name, size: data.length }
}

/** A WebM (Matroska, DocType "webm") header with an empty segment: detected as video/webm. */
export function webmFile({ name = 'segment.webm', padding = 256 }: { name?: string; padding?: number } = {}) {
  const header = Buffer.concat([
    Buffer.from([0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84]),
    Buffer.from('webm'),
    Buffer.from([0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02]),
  ])
  const ebml = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.length]), header])
  const segment = Buffer.concat([
    Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    Buffer.alloc(padding),
  ])
  const data = Buffer.concat([ebml, segment])
  return { data, mimetype: 'video/webm', name, size: data.length }
}

/**
 * A GIF whose header declares a `width`×`height` canvas of `frames` frames, each a single pixel: a few hundred bytes
 * that cost a decoder every pixel of every frame (a decompression bomb).
 */
export function canvasBombGif({ width = 2048, height = 2048, frames = 20, name = 'bomb.gif' } = {}) {
  const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff]
  const bytes: number[] = [...Buffer.from('GIF89a'), ...u16(width), ...u16(height), 0x80, 0, 0]
  bytes.push(0, 0, 0, 255, 255, 255) // global colour table: black, white
  bytes.push(0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00) // loop forever
  for (let frame = 0; frame < frames; frame++) {
    bytes.push(0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00) // 0.1 s per frame
    bytes.push(0x2c, ...u16(frame % width), ...u16(0), ...u16(1), ...u16(1), 0x00) // a 1×1 frame
    bytes.push(0x02, 0x02, 0x44, 0x01, 0x00) // LZW: clear, pixel 0, end
  }
  bytes.push(0x3b)
  const data = Buffer.from(bytes)
  return { data, mimetype: 'image/gif', name, size: data.length }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const pngChunk = (type: string, body: Buffer) => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  const typed = Buffer.concat([Buffer.from(type), body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typed))
  return Buffer.concat([length, typed, crc])
}

/** A PNG whose header declares `width`×`height` (8-bit grey) with next to no pixel data: tiny to send, huge to decode. */
export function hugeDimensionPng({ width = 30_000, height = 30_000, name = 'huge.png' } = {}) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 0, 0, 0, 0], 8)
  const data = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
  return { data, mimetype: 'image/png', name, size: data.length }
}

/** A lossless WebP whose header declares `width`×`height` (at most 16384 each) with next to no pixel data. */
export function hugeDimensionWebp({ width = 16_000, height = 16_000, name = 'huge.webp' } = {}) {
  const bits = (width - 1) | ((height - 1) << 14) // 14 bits each, alpha 0, version 0
  const vp8l = Buffer.concat([Buffer.from([0x2f]), Buffer.from([bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff]), Buffer.alloc(7)])
  const chunk = Buffer.concat([Buffer.from('VP8L'), Buffer.alloc(4), vp8l])
  chunk.writeUInt32LE(vp8l.length, 4)
  const data = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), chunk])
  data.writeUInt32LE(data.length - 8, 4)
  return { data, mimetype: 'image/webp', name, size: data.length }
}
