'use client'
import type { ReactNode } from 'react'

/** Where the app serves monaco-editor's `min/vs` from node_modules (src/app/monaco-editor/vs/[...path]/route.ts). */
const LOCAL_VS = '/monaco-editor/vs'
const CDN_VS = /^https:\/\/cdn\.jsdelivr\.net\/npm\/monaco-editor@[^/]+\/min\/vs(?=\/)/

type AmdRequire = { config: (options: { paths?: Record<string, string> }) => unknown }

/**
 * Payload's JSON and code fields run Monaco through the copy of @monaco-editor/loader bundled inside @payloadcms/ui,
 * whose loader script and modules come from cdn.jsdelivr.net (its `loader.config` is not reachable from the app):
 * offline, or behind a firewall, those fields never appear. So the one script it injects, Monaco's AMD loader, is
 * taken from the app instead, and that loader is pinned to the app's copy for everything it loads next (the
 * editor, its styles, its workers), whatever path the bundled loader then configures.
 */
function serveMonacoFromTheApp() {
  if (typeof window === 'undefined') return
  const src = Object.getOwnPropertyDescriptor(HTMLScriptElement.prototype, 'src')
  if (!src?.set || (window as { __monacoFromApp?: boolean }).__monacoFromApp) return
  ;(window as { __monacoFromApp?: boolean }).__monacoFromApp = true
  Object.defineProperty(HTMLScriptElement.prototype, 'src', {
    ...src,
    set(this: HTMLScriptElement, value: string) {
      if (typeof value === 'string' && CDN_VS.test(value)) {
        // Listeners run in the order they were added, so this one runs before the loader's own `onload`.
        this.addEventListener('load', pinLoaderToTheApp, { once: true })
        value = value.replace(CDN_VS, `${window.location.origin}${LOCAL_VS}`)
      }
      src.set!.call(this, value)
    },
  })
}

function pinLoaderToTheApp() {
  const amd = (window as unknown as { require?: AmdRequire }).require
  if (!amd) return
  const config = amd.config.bind(amd)
  amd.config = (options) => config({ ...options, paths: { ...options.paths, vs: `${window.location.origin}${LOCAL_VS}` } })
}

serveMonacoFromTheApp()

/** An admin provider (payload.config.ts) only for its import, which takes Monaco from the app before any editor opens. */
export function OfflineMonaco({ children }: { children?: ReactNode }) {
  return <>{children}</>
}
