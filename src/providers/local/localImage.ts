import sharp from 'sharp'

import { type AspectRatio, frameSize, unitHash } from './localProvider'

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`)

/** Words into lines of at most `width` characters, at most `maxLines` lines (the last one ellipsised). */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const next = line ? `${line} ${word}` : word
    if (next.length > width && line) {
      lines.push(line)
      line = word.slice(0, width)
    } else {
      line = next.slice(0, width)
    }
  }
  if (line) lines.push(line)
  if (lines.length > maxLines) return [...lines.slice(0, maxLines - 1), `${lines[maxLines - 1].slice(0, width - 1)}…`]
  return lines
}

/**
 * A PNG at the aspect ratio's frame size: the prompt as text on a colour field whose hue comes from `colourKey`
 * (the scene, so a scene's panels share a colour) and whose shade comes from the prompt. Rendered by sharp from SVG.
 */
export async function localImage({
  prompt,
  aspectRatio = '16:9',
  colourKey = prompt,
}: {
  prompt: string
  aspectRatio?: AspectRatio
  colourKey?: string
}): Promise<{ data: Buffer; mimeType: 'image/png'; width: number; height: number }> {
  const { width, height } = frameSize[aspectRatio]
  const hue = Math.round(unitHash(colourKey, 'hue') * 360)
  const lightness = 28 + Math.round(unitHash(prompt, 'shade') * 20)
  const fontSize = Math.round(height / 14)
  const lines = wrap(prompt || '(no description)', Math.floor((width * 0.86) / (fontSize * 0.55)), 7)
  const top = height / 2 - ((lines.length - 1) * fontSize * 1.3) / 2
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="100%" height="100%" fill="hsl(${hue}, 55%, ${lightness}%)"/>
  <rect x="${width * 0.04}" y="${height * 0.06}" width="${width * 0.92}" height="${height * 0.88}" fill="none" stroke="white" stroke-opacity="0.35" stroke-width="2"/>
  <g font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${fontSize}" fill="white" text-anchor="middle">
${lines.map((text, index) => `    <text x="${width / 2}" y="${top + index * fontSize * 1.3}">${escapeXml(text)}</text>`).join('\n')}
  </g>
</svg>`
  const data = await sharp(Buffer.from(svg)).png().toBuffer()
  return { data, mimeType: 'image/png', width, height }
}
