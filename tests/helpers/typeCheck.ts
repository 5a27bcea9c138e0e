import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'

import { root } from '../setup/appBuild'

/**
 * Type-checks `file` of `dir` (a generated client and the code that calls it) the way a frontend's strict build
 * would, with the repository's TypeScript and its node_modules. Answers tsc's output ('' when it compiles).
 */
export function typeCheck(dir: string, file: string): { status: number | null; output: string } {
  const config = path.join(dir, `tsconfig.${path.basename(file, '.ts')}.json`)
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', target: 'ES2022', lib: ['ES2022', 'DOM'], skipLibCheck: true, types: [] },
      files: [file],
    }),
  )
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { encoding: 'utf8' })
  return { status: tsc.status, output: tsc.stdout + tsc.stderr }
}
