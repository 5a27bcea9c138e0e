/**
 * The client address of a request. `next start` fills X-Forwarded-For with the socket address when the header is
 * absent; behind a reverse proxy each proxy appends the address it saw. TRUST_PROXY_HOPS (default 1) says how many
 * entries from the right are written by trusted infrastructure: the entry at that position is the client. A
 * deployment exposed without a proxy must put one in front, or clients can choose their own address.
 */
export function clientIp(headers: Headers, env: Record<string, string | undefined> = process.env): string | undefined {
  const forwarded = headers.get('x-forwarded-for')
  if (!forwarded) return headers.get('x-real-ip')?.trim() || undefined
  const entries = forwarded
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  if (entries.length === 0) return undefined
  const hops = Math.max(1, Number(env.TRUST_PROXY_HOPS ?? 1) || 1)
  return entries[Math.max(0, entries.length - hops)]
}
