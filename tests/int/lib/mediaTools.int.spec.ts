import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { checkHealth } from '../../../src/monitoring/checkHealth'
import { MediaToolError } from '../../../src/errors'
import { findMediaTools, mediaToolPath, probeMedia, runMediaTool } from '../../../src/lib/mediaTools/mediaTools'

/** ffmpeg/ffprobe: the registry binaries by default, an env override, a time limit, and health's report. */
let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'media-tools-test-'))
})
afterAll(async () => rm(scratch, { recursive: true, force: true }))
afterEach(() => {
  delete process.env.FFMPEG_PATH
  delete process.env.FFPROBE_PATH
})

describe('discovery', () => {
  it('uses the binaries npm installed (never the system ffmpeg) and runs them', async () => {
    expect(mediaToolPath('ffmpeg')).toBe(path.resolve('node_modules/@ffmpeg-installer', `${process.platform}-${process.arch}`, 'ffmpeg'))
    expect(mediaToolPath('ffprobe')).toBe(path.resolve('node_modules/@ffprobe-installer', `${process.platform}-${process.arch}`, 'ffprobe'))
    const tools = await findMediaTools()
    expect(tools.available).toBe(true)
    expect(tools.ffmpeg).toMatchObject({ version: expect.any(String) })
  })

  it('FFMPEG_PATH overrides it; pointing nowhere makes the tools unavailable, with a message naming the variable', async () => {
    process.env.FFMPEG_PATH = path.join(scratch, 'nowhere', 'ffmpeg')
    const tools = await findMediaTools()
    expect(tools.available).toBe(false)
    expect(tools.ffmpeg).toMatchObject({ path: process.env.FFMPEG_PATH, error: expect.stringContaining('FFMPEG_PATH') })
    await expect(runMediaTool('ffmpeg', ['-version'])).rejects.toMatchObject({ code: 'MEDIA_TOOLS_MISSING', retryable: true })
  })

  it('/api/health reports mediaTools: ok with them, not-configured (without failing readiness) without', async () => {
    const noDatabase = () => Promise.reject(new Error('connect ECONNREFUSED'))
    expect((await checkHealth({ getPayload: noDatabase })).checks.mediaTools).toEqual({ status: 'ok', ffmpeg: 'found', ffprobe: 'found' })
    process.env.FFPROBE_PATH = path.join(scratch, 'nowhere', 'ffprobe')
    const report = await checkHealth({ getPayload: noDatabase })
    expect(report.checks.mediaTools).toMatchObject({ status: 'not-configured', missing: ['ffprobe'] })
    expect(JSON.stringify(report.checks.mediaTools)).not.toContain(scratch)
  })
})

describe('runs', () => {
  it('stops a run past its time limit (retryable) and on abort', async () => {
    const slow = ['-f', 'lavfi', '-i', 'sine=duration=600', '-f', 'null', '-']
    const timedOut = await runMediaTool('ffmpeg', ['-re', ...slow], { timeoutMs: 300 }).catch((err) => err)
    expect(timedOut).toBeInstanceOf(MediaToolError)
    expect(timedOut).toMatchObject({ code: 'MEDIA_TOOL_TIMEOUT', retryable: true })
    const abort = new AbortController()
    setTimeout(() => abort.abort('cancelled'), 200)
    await expect(runMediaTool('ffmpeg', ['-re', ...slow], { signal: abort.signal })).rejects.toMatchObject({ code: 'MEDIA_TOOL_ABORTED' })
  })

  it('probes real media and refuses a corrupt file for good', async () => {
    const wav = path.join(scratch, 'tone.wav')
    await runMediaTool('ffmpeg', ['-f', 'lavfi', '-i', 'sine=duration=1.5', wav])
    const probed = await probeMedia(wav)
    expect(probed.durationSeconds).toBeCloseTo(1.5, 1)
    expect(probed.streams).toEqual([expect.objectContaining({ codecType: 'audio', codecName: 'pcm_s16le' })])
    const junk = path.join(scratch, 'junk.mp4')
    await writeFile(junk, Buffer.alloc(2048, 3))
    await expect(probeMedia(junk)).rejects.toMatchObject({ code: 'CORRUPT_MEDIA', retryable: false })
  })
})
