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
