import type { mediaTypes } from '../model/options'

export type MediaType = (typeof mediaTypes)[number]
export type MimeFamily = 'image' | 'video' | 'audio'

/** Which kind of file each media type holds: its mime type must start with `<family>/`. */
export const mimeFamilyByMediaType: Record<MediaType, MimeFamily> = {
  style_reference: 'image',
  character_design: 'image',
  environment_design: 'image',
  concept_art: 'image',
  storyboard: 'image',
  video_segment: 'video',
  final_video: 'video',
  audio_clip: 'audio',
  voice_profile: 'audio',
  music_track: 'audio',
  sound_effect: 'audio',
}

export function mimeFamilyOf(mimeType: string | null | undefined): string | undefined {
  return mimeType ? mimeType.split('/')[0]?.toLowerCase() : undefined
}

/** Besides files of their family, a media type may hold these: a final video's WebVTT subtitles are stored beside it. */
export const extraMimeTypesByMediaType: Partial<Record<MediaType, readonly string[]>> = { final_video: ['text/vtt'] }

export function isMimeTypeAllowed({ mediaType, mimeType }: { mediaType: MediaType; mimeType: string }): boolean {
  const bare = mimeType.split(';')[0].trim().toLowerCase()
  return mimeFamilyOf(mimeType) === mimeFamilyByMediaType[mediaType] || (extraMimeTypesByMediaType[mediaType] ?? []).includes(bare)
}

/**
 * The largest file one upload may carry (MEDIA_MAX_UPLOAD_BYTES, default 100 MiB). Uploads are buffered in memory
 * by Payload's multipart parser, so larger assets (long final videos) belong in a direct-to-R2 upload.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024

export function maxUploadBytes(): number {
  const configured = Number(process.env.MEDIA_MAX_UPLOAD_BYTES)
  return Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_UPLOAD_BYTES
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`
  return `${bytes} bytes`
}

/**
 * Bounds on the pixels sharp decodes for one upload, checked from the image's header before any decoding: a few
 * hundred bytes can declare a 2048×2048 canvas of many frames, which costs seconds of CPU to decode, re-encode and
 * thumbnail. Per frame: MEDIA_MAX_IMAGE_PIXELS (default 40 MP, above 8K UHD); animations (GIF, WebP, TIFF pages,
 * all of which Payload decodes frame by frame): MEDIA_MAX_IMAGE_FRAMES frames (default 300) and
 * MEDIA_MAX_ANIMATION_PIXELS summed over the frames (default 25 MP, e.g. 12 frames of 1920×1080).
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
export const DEFAULT_MAX_ANIMATION_PIXELS = 25_000_000
export const DEFAULT_MAX_IMAGE_FRAMES = 300

const positiveInteger = (raw: string | undefined, fallback: number) => {
  const configured = Number(raw)
  return Number.isSafeInteger(configured) && configured > 0 ? configured : fallback
}

export function imageDecodingLimits(env: Record<string, string | undefined> = process.env) {
  return {
    maxPixels: positiveInteger(env.MEDIA_MAX_IMAGE_PIXELS, DEFAULT_MAX_IMAGE_PIXELS),
    maxAnimationPixels: positiveInteger(env.MEDIA_MAX_ANIMATION_PIXELS, DEFAULT_MAX_ANIMATION_PIXELS),
    maxFrames: positiveInteger(env.MEDIA_MAX_IMAGE_FRAMES, DEFAULT_MAX_IMAGE_FRAMES),
  }
}

/** The formats whose every frame or page Payload decodes (its isAnimatedImage: GIF, WebP, TIFF). */
const multiFrameFormats = new Set(['gif', 'webp', 'tiff'])

export type ImageHeader = { format?: string; width?: number; height?: number; pageHeight?: number; pages?: number }

/** The pixels decoding the image costs (every frame of a multi-frame format), and why it is refused, if it is. */
export function assessImageDecoding(header: ImageHeader, limits = imageDecodingLimits()): { pixels: number; refusal?: string } {
  const width = header.width ?? 0
  const frameHeight = header.pageHeight ?? header.height ?? 0
  const frames = header.format && multiFrameFormats.has(header.format) ? Math.max(1, header.pages ?? 1) : 1
  const framePixels = width * frameHeight
  const pixels = framePixels * frames
  const megapixels = (n: number) => `${Math.round(n / 100_000) / 10} MP`
  if (framePixels > limits.maxPixels) {
    return { pixels, refusal: `The image is ${width}×${frameHeight} (${megapixels(framePixels)}); images may have at most ${megapixels(limits.maxPixels)}.` }
  }
  if (frames > limits.maxFrames) {
    return { pixels, refusal: `The image has ${frames} frames; animations may have at most ${limits.maxFrames}.` }
  }
  if (frames > 1 && pixels > limits.maxAnimationPixels) {
    return {
      pixels,
      refusal: `The animation is ${frames} frames of ${width}×${frameHeight} (${megapixels(pixels)} in all); animations may have at most ${megapixels(limits.maxAnimationPixels)} in all.`,
    }
  }
  return { pixels }
}

/** The most pixels one sharp decode may read (sharp's `limitInputPixels`; for an animation, all its frames together). */
export function maxDecodedPixels(limits = imageDecodingLimits()): number {
  return Math.max(limits.maxPixels, limits.maxAnimationPixels)
}
