/**
 * Runs once when the Next.js server starts. The check lives in a Node.js-only module, imported only in the Node.js
 * runtime, because it exits the process (not available in the Edge runtime this file is also compiled for).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { refuseUnsafeProductionStart } = await import('./lib/refuseUnsafeProductionStart')
  refuseUnsafeProductionStart()
}
