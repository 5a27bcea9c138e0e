/**
 * Runs once when the Next.js server starts. The modules live in Node.js-only files, imported only in the Node.js
 * runtime, because they exit the process or patch node:http (not available in the Edge runtime this file is also
 * compiled for).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { refuseUnsafeProductionStart } = await import('./lib/refuseUnsafeProductionStart')
  refuseUnsafeProductionStart()
  // The client address for rate limits and the audit log (src/lib/rateLimit/clientIp.ts).
  const { stampPeerAddress } = await import('./lib/rateLimit/stampPeerAddress')
  stampPeerAddress()
}
