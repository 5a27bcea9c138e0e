import { BlockList, isIP } from 'node:net'

/**
 * The header carrying the TCP peer address of a request. The server stamps it on every incoming request before
 * Next.js sees it (stampPeerAddress, installed by instrumentation.ts), overwriting whatever a client sent under
 * that name, so it is the address the server saw. Absent for in-process calls (Local API, tests calling handlers).
 */
export const PEER_ADDRESS_HEADER = 'x-peer-address'

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(address: string | undefined | null): string | undefined {
  const trimmed = address?.trim()
  if (!trimmed) return undefined
  const unmapped = trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed
  return isIP(unmapped) ? unmapped : undefined
}

const parsedProxies = new Map<string, BlockList>()

/**
 * TRUSTED_PROXIES: comma-separated addresses or CIDR ranges of the reverse proxies in front of the app (e.g.
 * `10.0.0.0/8,127.0.0.1`). Unset (the default): no proxy is trusted and X-Forwarded-For is ignored.
 */
export function trustedProxies(env: Record<string, string | undefined> = process.env): BlockList {
  const raw = env.TRUSTED_PROXIES?.trim() ?? ''
  let list = parsedProxies.get(raw)
  if (list) return list
  list = new BlockList()
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [address, bits] = entry.split('/')
    const normalized = normalizeAddress(address)
    const family = isIP(normalized ?? '')
    if (!normalized || !family) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(normalized, type)
    else list.addSubnet(normalized, Number(bits), type)
  }
  parsedProxies.set(raw, list)
  return list
}

const isTrusted = (list: BlockList, address: string) => list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6')

/**
 * The client address of a request: the TCP peer the server saw, unless that peer is a trusted proxy, in which case
 * X-Forwarded-For is walked from the right (each proxy appends the address it saw) past trusted proxies to the
 * first address that is not one. Without TRUSTED_PROXIES the header is never read: a client cannot choose its
 * address. Undefined when the peer is unknown (in-process calls); rate limits then fall back to their account,
 * credential and global budgets and the audit log records no address.
 */
export function clientIp(headers: Headers, env: Record<string, string | undefined> = process.env): string | undefined {
  const peer = normalizeAddress(headers.get(PEER_ADDRESS_HEADER))
  if (!peer) return undefined
  const proxies = trustedProxies(env)
  if (!isTrusted(proxies, peer)) return peer
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  let client = peer
  for (let index = forwarded.length - 1; index >= 0; index--) {
    if (!isTrusted(proxies, client)) break
    const hop = normalizeAddress(forwarded[index])
    if (!hop) break
    client = hop
  }
  return client
}
