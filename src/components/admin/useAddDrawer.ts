'use client'
import { useDocumentDrawer } from '@payloadcms/ui'
import { useCallback } from 'react'

/**
 * A drawer that creates a document of `collectionSlug` from a hub list: once created the drawer closes and the list
 * reloads, so the new row shows where the producer started (Payload's drawer would stay open on the new document).
 */
export function useAddDrawer(collectionSlug: string, reload: () => void) {
  const [Drawer, Toggler, { closeDrawer }] = useDocumentDrawer({ collectionSlug })
  const onSave = useCallback(
    ({ operation }: { operation?: string }) => {
      reload()
      if (operation === 'create') closeDrawer()
    },
    [reload, closeDrawer],
  )
  return { Drawer, Toggler, onSave }
}
