import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

import { MediaToolError } from '../../errors'

/**
 * ffmpeg and ffprobe, which the scene cuts, the episode cut, audio mixing and the local provider's video and
 * speech need. They come from the registry packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe (their
 * platform packages ship the binaries, so `npm ci` installs them without a download); FFMPEG_PATH / FFPROBE_PATH
 * override them. A system ffmpeg is never picked up silently: what runs is what the lock file pins or what the
 * operator named.
 */
export type MediaTool = 'ffmpeg' | 'ffprobe'
export type MediaToolStatus = { path: string; version: string } | { path: string | null; error: string }
export type MediaTools = { ffmpeg: MediaToolStatus; ffprobe: MediaToolStatus; available: boolean }

const overrideVariable: Record<MediaTool, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' }

/**
 * Where the binary is: the env override, else the platform package's file. Resolved from the working directory
 * (the project root for `next`, the worker and the tests) rather than through require.resolve, which the Next.js
 * bundler rewrites.
 */
export function mediaToolPath(tool: MediaTool): string | null {
  const override = process.env[overrideVariable[tool]]
  if (override) return override
  const file = path.resolve(
    /* turbopackIgnore: true */ process.cwd(),
    'node_modules',
    `@${tool}-installer`,
    `${process.platform}-${process.arch}`,
    process.platform === 'win32' ? `${tool}.exe` : tool,
  )
  return existsSync(/* turbopackIgnore: true */ file) ? file : null
}

function probeTool(tool: MediaTool): Promise<MediaToolStatus> {
  const file = mediaToolPath(tool)
  if (!file) return Promise.resolve({ path: null, error: `${tool} not found: install dependencies (npm ci) or set ${overrideVariable[tool]}` })
  return new Promise((resolve) => {
    execFile(file, ['-hide_banner', '-version'], { timeout: 10_000 }, (err, stdout) => {
      if (err) resolve({ path: file, error: `${tool} at ${file} does not run (${(err as NodeJS.ErrnoException).code ?? err.message}); set ${overrideVariable[tool]}` })
      else resolve({ path: file, version: /version (\S+)/.exec(stdout)?.[1] ?? 'unknown' })
    })
  })
}

let found: { key: string; tools: Promise<MediaTools> } | undefined

/** Looks both tools up (once per process and override; `-version` must run). */
export function findMediaTools(): Promise<MediaTools> {
  const key = `${process.env.FFMPEG_PATH ?? ''}\n${process.env.FFPROBE_PATH ?? ''}`
  if (found?.key !== key) {
    found = {
      key,
      tools: Promise.all([probeTool('ffmpeg'), probeTool('ffprobe')]).then(([ffmpeg, ffprobe]) => ({
        ffmpeg,
        ffprobe,
        available: 'version' in ffmpeg && 'version' in ffprobe,
      })),
    }
  }
  return found.tools
}

/** One line saying what is missing, for logs and health. */
export const describeMissing = (tools: MediaTools) =>
  [tools.ffmpeg, tools.ffprobe].flatMap((status) => ('error' in status ? [status.error] : [])).join('; ')

async function requireTool(tool: MediaTool): Promise<string> {
  const status = (await findMediaTools())[tool]
  if ('error' in status) throw new MediaToolError(status.error, { code: 'MEDIA_TOOLS_MISSING', retryable: true })
  return status.path
}

/**
 * Runs a media tool with a time limit (and the caller's abort signal): resolves stdout, or rejects with a
 * MediaToolError carrying the end of stderr. A timeout is retryable (another try on a quieter machine may finish);
 * a tool that refused the input is not.
 */
export async function runMediaTool(
  tool: MediaTool,
  args: string[],
  { timeoutMs = mediaToolTimeoutMs(), signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const file = await requireTool(tool)
  return new Promise((resolve, reject) => {
    const child = spawn(file, tool === 'ffmpeg' ? ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    let err = ''
    let ending: MediaToolError | undefined
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-4000)))
    const stop = (reason: MediaToolError) => {
      ending ??= reason
      child.kill('SIGKILL')
    }
    const timer = setTimeout(() => stop(new MediaToolError(`${tool} took longer than ${timeoutMs} ms`, { code: 'MEDIA_TOOL_TIMEOUT', retryable: true })), timeoutMs)
    const onAbort = () => stop(new MediaToolError(`${tool} stopped: ${String(signal?.reason ?? 'aborted')}`, { code: 'MEDIA_TOOL_ABORTED', retryable: true }))
    signal?.addEventListener('abort', onAbort, { once: true })
    child.once('error', (error) => stop(new MediaToolError(`${tool} could not start: ${error.message}`, { code: 'MEDIA_TOOLS_MISSING', retryable: true })))
    child.once('close', (code) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (ending) reject(ending)
      else if (code === 0) resolve(Buffer.concat(out).toString('utf8'))
      else reject(new MediaToolError(`${tool} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' | ')}`))
    })
  })
}

/** MEDIA_TOOL_TIMEOUT_MS (default 10 minutes): the longest one ffmpeg/ffprobe run may take. */
export const mediaToolTimeoutMs = () => Number(process.env.MEDIA_TOOL_TIMEOUT_MS || 600_000)

export type ProbedMedia = {
  durationSeconds: number
  streams: { codecType: string; codecName: string; width?: number; height?: number; durationSeconds?: number }[]
}

/** ffprobe of a file: its duration and streams, or a non-retryable MediaToolError when it is not readable media. */
export async function probeMedia(file: string, options: { signal?: AbortSignal } = {}): Promise<ProbedMedia> {
  let json: string
  try {
    json = await runMediaTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], options)
  } catch (err) {
    if (err instanceof MediaToolError && err.retryable) throw err
    throw new MediaToolError(`Not readable media: ${path.basename(file)} (${(err as Error).message})`, { code: 'CORRUPT_MEDIA' })
  }
  const parsed = JSON.parse(json) as {
    format?: { duration?: string }
    streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; duration?: string }[]
  }
  const durationSeconds = Number(parsed.format?.duration)
  const streams = (parsed.streams ?? []).map((stream) => ({
    codecType: stream.codec_type ?? 'unknown',
    codecName: stream.codec_name ?? 'unknown',
    ...(stream.width ? { width: stream.width } : {}),
    ...(stream.height ? { height: stream.height } : {}),
    ...(stream.duration && Number.isFinite(Number(stream.duration)) ? { durationSeconds: Number(stream.duration) } : {}),
  }))
  if (streams.length === 0) throw new MediaToolError(`Not readable media: ${path.basename(file)} has no audio or video stream`, { code: 'CORRUPT_MEDIA' })
  return { durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : 0, streams }
}
