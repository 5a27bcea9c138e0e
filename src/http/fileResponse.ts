/** A download: the body with its type and a file name the browser saves it under. */
export function fileResponse({ filename, contentType, body }: { filename: string; contentType: string; body: BodyInit }): Response {
  return new Response(body, {
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    },
  })
}
