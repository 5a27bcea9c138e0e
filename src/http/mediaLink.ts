/**
 * The link a shot list gives for a medium: its REST document on this server (`/api/media/{id}`, access-checked;
 * the document names the file's URL). The server's public address when configured, else the request's origin.
 */
export function mediaLink(request: Request): (id: string) => string {
  const origin = (process.env.NEXT_PUBLIC_SERVER_URL || new URL(request.url).origin).replace(/\/$/, '')
  return (id) => `${origin}/api/media/${id}`
}
