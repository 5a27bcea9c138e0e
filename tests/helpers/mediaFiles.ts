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
