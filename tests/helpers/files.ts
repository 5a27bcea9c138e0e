import sharp from 'sharp'

/** A real PNG of the given size, for upload tests. */
export async function pngFile(width = 64, height = 48, name = 'frame.png') {
  const data = await sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } },
  })
    .png()
    .toBuffer()
  return { data, mimetype: 'image/png', name, size: data.length }
}
