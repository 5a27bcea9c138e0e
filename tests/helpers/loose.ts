import type { Payload } from 'payload'

type Loose = {
  create: (args: Record<string, unknown>) => Promise<any>
  update: (args: Record<string, unknown>) => Promise<any>
  duplicate: (args: Record<string, unknown>) => Promise<any>
}

/**
 * The Local API without the generated input types: the access tests build documents generically (and on purpose
 * send fields the caller may not set), which the strict create/update overloads reject at compile time.
 */
export const loose = (payload: Payload): Loose => payload as unknown as Loose
