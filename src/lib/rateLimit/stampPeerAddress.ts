import type { IncomingMessage } from 'node:http'

import http from 'node:http'

import { PEER_ADDRESS_HEADER } from './clientIp'

const installed = Symbol.for('movie-platform.peerAddressStamp')

/**
 * Next.js route handlers get a Request without the socket, and `next start` only fills X-Forwarded-For with the
 * socket address when a client did not send one. So every HTTP server of this process stamps the peer address on
 * each incoming request under PEER_ADDRESS_HEADER before anything else reads it, replacing any value the client
 * sent. clientIp() reads it. Installed once, from instrumentation.ts (Node.js runtime).
 */
export function stampPeerAddress(): void {
  const proto = http.Server.prototype as http.Server & { [installed]?: boolean }
  if (proto[installed]) return
  proto[installed] = true
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as IncomingMessage
      const address = request.socket?.remoteAddress
      if (address) request.headers[PEER_ADDRESS_HEADER] = address
      else delete request.headers[PEER_ADDRESS_HEADER]
    }
    return emit.call(this, event, ...args)
  } as typeof proto.emit
}
