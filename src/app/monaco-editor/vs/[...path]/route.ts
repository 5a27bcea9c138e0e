import { readFile } from 'node:fs/promises'
import path from 'node:path'

/** monaco-editor's AMD build, installed with @payloadcms/ui (through @monaco-editor/react). */
const root = path.join(process.cwd(), 'node_modules', 'monaco-editor', 'min', 'vs')

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
}

/**
 * GET /monaco-editor/vs/… — the files of Monaco's editor, served by the app so that the admin's JSON and code fields
 * work without the CDN Payload loads them from by default (src/components/admin/OfflineMonaco.tsx). Only files
 * under monaco-editor/min/vs, of the types above.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const segments = (await params).path
  const file = path.join(root, ...segments)
  const type = contentTypes[path.extname(file)]
  if (!type || segments.some((segment) => segment.startsWith('.')) || !file.startsWith(root + path.sep)) return notFound()
  try {
    return new Response(new Uint8Array(await readFile(file)), {
      headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' },
    })
  } catch {
    return notFound()
  }
}

const notFound = () => Response.json({ error: { status: 404, code: 'NOT_FOUND', message: 'No such file' } }, { status: 404 })
