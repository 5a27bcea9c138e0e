import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

import { runMediaTool } from '../../lib/mediaTools/mediaTools'
import { type AspectRatio, frameSize } from './localProvider'

export const LOCAL_FPS = 25

/**
 * A clip from a still (the scene's first panel): a slow zoom towards its centre, `duration` seconds at 25 fps,
 * H.264 (yuv420p, faststart) at the aspect ratio's frame size. Works in `dir` (the task's temporary directory).
 */
export async function localVideo({
  image,
  duration,
  aspectRatio = '16:9',
  dir,
  signal,
}: {
  image: Buffer
  duration: number
  aspectRatio?: AspectRatio
  dir: string
  signal?: AbortSignal
}): Promise<{ data: Buffer; mimeType: 'video/mp4'; width: number; height: number }> {
  const { width, height } = frameSize[aspectRatio]
  const still = path.join(dir, 'local-still.png')
  const clip = path.join(dir, 'local-clip.mp4')
  await writeFile(still, image)
  const frames = Math.max(1, Math.round(duration * LOCAL_FPS))
  await runMediaTool(
    'ffmpeg',
    [
      ['-loop', '1', '-framerate', String(LOCAL_FPS), '-i', still],
      [
        '-vf',
        [
          `scale=${width * 2}:${height * 2}:force_original_aspect_ratio=increase`,
          `crop=${width * 2}:${height * 2}`,
          `zoompan=z='min(1+0.0015*on,1.3)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=${width}x${height}:fps=${LOCAL_FPS}`,
          'setsar=1',
        ].join(','),
      ],
      ['-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', clip],
    ].flat(),
    { signal },
  )
  return { data: await readFile(clip), mimeType: 'video/mp4', width, height }
}
