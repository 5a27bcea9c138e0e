'use client'
import { useConfig } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

/**
 * Documents of one collection read through REST as the signed-in user (so access rules decide what is listed),
 * with `reload` for after a drawer saved. `query` is a REST query string; nothing is read while it is undefined.
 */
export function useApiList<T>({ collection, query }: { collection: string; query: string | undefined }) {
  const { config } = useConfig()
  const [docs, setDocs] = useState<T[] | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [version, setVersion] = useState(0)
  const url = query === undefined ? undefined : `${config.serverURL}${config.routes.api}/${collection}?${query}`
  useEffect(() => {
    if (!url) return
    let isCurrent = true
    void fetch(url, { credentials: 'include' }).then(async (response) => {
      if (!isCurrent) return
      if (!response.ok) return setError(`Could not load the list (${response.status}).`)
      const body = (await response.json()) as { docs: T[] }
      setError(undefined)
      setDocs(body.docs)
    })
    return () => {
      isCurrent = false
    }
  }, [url, version])
  const reload = useCallback(() => setVersion((current) => current + 1), [])
  return { docs, error, reload, adminRoute: config.routes.admin }
}
