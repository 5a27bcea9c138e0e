/**
 * A JSON body as the object a service DTO expects. Untrusted until the service's schema has parsed it: a body that
 * is not an object is passed on as `{ body }`, which the strict schemas reject with a 400 naming `body`.
 */
export function bodyObject<T>(body: unknown): T {
  return (body && typeof body === 'object' && !Array.isArray(body) ? body : { body }) as T
}
