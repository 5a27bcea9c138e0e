import { execFile } from 'node:child_process'

import { unitHash } from './localProvider'

const SAMPLE_RATE = 22_050

/** A mono 16-bit PCM WAV of the given samples (−1…1). */
export function wavOf(samples: Float32Array, sampleRate = SAMPLE_RATE): Buffer {
  const data = Buffer.alloc(44 + samples.length * 2)
  data.write('RIFF', 0)
  data.writeUInt32LE(36 + samples.length * 2, 4)
  data.write('WAVE', 8)
  data.write('fmt ', 12)
  data.writeUInt32LE(16, 16)
  data.writeUInt16LE(1, 20)
  data.writeUInt16LE(1, 22)
  data.writeUInt32LE(sampleRate, 24)
  data.writeUInt32LE(sampleRate * 2, 28)
  data.writeUInt16LE(2, 32)
  data.writeUInt16LE(16, 34)
  data.write('data', 36)
  data.writeUInt32LE(samples.length * 2, 40)
  samples.forEach((sample, index) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32_000), 44 + index * 2))
  return data
}

/** How long a line takes to say when its end is not given: about 2.6 words a second. */
export const spokenSeconds = (text: string) => Math.max(0.6, Math.round((0.2 + text.split(/\s+/).filter(Boolean).length * 0.38) * 100) / 100)

/**
 * A line "spoken" as a synthesized signal: one voiced burst per word (a fundamental with two harmonics under a
 * syllable envelope), the pitch set by the voice and varied by the word, gaps between words. Deterministic.
 */
function synthesizeSpeech({ text, voiceId, seconds }: { text: string; voiceId: string; seconds: number }): Float32Array {
  const samples = new Float32Array(Math.round(seconds * SAMPLE_RATE))
  const words = text.split(/\s+/).filter(Boolean)
  if (words.length === 0) return samples
  const base = 110 + unitHash(voiceId, 'voice') * 130
  const slot = samples.length / words.length
  words.forEach((word, index) => {
    const pitch = base * (0.9 + unitHash(word, 'word') * 0.25)
    const start = Math.floor(index * slot)
    const length = Math.floor(slot * 0.78)
    for (let i = 0; i < length && start + i < samples.length; i++) {
      const t = i / SAMPLE_RATE
      const envelope = Math.sin((Math.PI * i) / length)
      const phase = 2 * Math.PI * pitch * t
      samples[start + i] = 0.5 * envelope * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) / 1.75
    }
  })
  return samples
}

let espeak: Promise<string | null> | undefined
/** espeak-ng when the machine has it (Debian's package); never required. */
function findEspeak(): Promise<string | null> {
  espeak ??= new Promise((resolve) => execFile('espeak-ng', ['--version'], { timeout: 5_000 }, (err) => resolve(err ? null : 'espeak-ng')))
  return espeak
}

/**
 * Speech for one line as a WAV: espeak-ng's voice where installed (LOCAL_SPEECH=tones forces the synthesized
 * signal), else the synthesized signal, `seconds` long (or as long as the text takes).
 */
export async function localSpeech({ text, voiceId = 'narrator', seconds }: { text: string; voiceId?: string; seconds?: number }) {
  const length = seconds ?? spokenSeconds(text)
  const espeakBinary = process.env.LOCAL_SPEECH === 'tones' ? null : await findEspeak()
  if (espeakBinary) {
    const spoken = await new Promise<Buffer | null>((resolve) =>
      execFile(espeakBinary, ['--stdout', '-v', 'en', text], { encoding: 'buffer', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
        resolve(err ? null : stdout),
      ),
    )
    if (spoken && spoken.length > 44) return { data: spoken, mimeType: 'audio/wav' as const, engine: 'espeak-ng' }
  }
  return { data: wavOf(synthesizeSpeech({ text, voiceId, seconds: length })), mimeType: 'audio/wav' as const, engine: 'tones' }
}

/** Music: a slow progression of chords picked from the prompt, `lengthMs` long. */
export function localMusic({ prompt, lengthMs }: { prompt: string; lengthMs: number }) {
  const samples = new Float32Array(Math.round((lengthMs / 1000) * SAMPLE_RATE))
  const chordSeconds = 2
  const roots = [0, 1, 2, 3].map((index) => 130.81 * 2 ** (Math.floor(unitHash(prompt, `chord${index}`) * 12) / 12))
  for (let i = 0; i < samples.length; i++) {
    const t = i / SAMPLE_RATE
    const root = roots[Math.floor(t / chordSeconds) % roots.length]
    const within = (t % chordSeconds) / chordSeconds
    const envelope = Math.min(1, within * 8) * (1 - within * 0.5)
    samples[i] = 0.22 * envelope * [1, 1.26, 1.5].reduce((sum, ratio) => sum + Math.sin(2 * Math.PI * root * ratio * t), 0)
  }
  return { data: wavOf(samples), mimeType: 'audio/wav' as const }
}
