import { ESLint } from 'eslint'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { layers } from '../../../eslint.config.mjs'

/**
 * The layer rule of eslint.config.mjs, run as `npm run lint` runs it. The scratch modules are linted as text under
 * a path inside src/ (ESLint resolves their imports from that path) rather than written there, so a failed run
 * leaves nothing behind for tsc, Next or a concurrent lint to trip over.
 */
const root = path.resolve(import.meta.dirname, '../../..')
const eslint = new ESLint({ cwd: root })

async function layerErrors(file: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) })
  return result.messages.filter((message) => message.ruleId === 'import/no-restricted-paths')
}

describe('layers (eslint.config.mjs, import/no-restricted-paths)', () => {
  it('fails a lib module that imports a service, by relative path or by alias', async () => {
    const errors = await layerErrors(
      'src/lib/scratchBackEdge.ts',
      "import { requireUser } from '../services/actor'\nimport { principalKey } from '@/services/actor'\n\nexport const both = [requireUser, principalKey]\n",
    )
    expect(errors).toHaveLength(2)
    for (const error of errors) {
      expect(error.severity).toBe(2)
      expect(error.message).toContain('src/lib may not import')
      expect(error.message).toContain('src/services')
    }
  })

  it('fails a model module that imports collections, and a domain rule that imports the Payload config', async () => {
    expect(
      await layerErrors('src/model/scratchBackEdge.ts', "export { Projects } from '../collections/Projects'\n"),
    ).toHaveLength(1)
    const configErrors = await layerErrors(
      'src/domain/scratchBackEdge.ts',
      "import config from '@payload-config'\n\nexport const scratch = config\n",
    )
    expect(configErrors).toHaveLength(1)
    expect(configErrors[0].message).toContain('the Payload config')
  })

  it('passes imports that run down the layers, and the config imported where the HTTP layer needs it', async () => {
    expect(
      await layerErrors(
        'src/services/scratchDownward.ts',
        "import { encodeCursor } from '../lib/cursor'\nimport { slugs } from '../model/slugs'\nimport { relationId } from '../model/references'\n\nexport const all = [encodeCursor, slugs, relationId]\n",
      ),
    ).toEqual([])
    expect(
      await layerErrors('src/http/scratchConfig.ts', "import config from '@payload-config'\n\nexport const scratch = config\n"),
    ).toEqual([])
  })

  it('orders the rooms below the entry points: each one fails importing the room just above it', async () => {
    const rooms = layers.slice(1).map((tier) => tier.filter((name) => !name.includes('.')))
    const pairs = rooms.slice(1).flatMap((tier, index) => tier.flatMap((lower) => rooms[index].map((upper) => [lower, upper])))
    expect(pairs.length).toBeGreaterThanOrEqual(14)
    for (const [lower, upper] of pairs) {
      // A real module of the upper room: an import the resolver cannot follow is not checked at all.
      const moduleName = readdirSync(path.join(root, 'src', upper)).find((name) => /\.tsx?$/.test(name))!.replace(/\.tsx?$/, '')
      const errors = await layerErrors(`src/${lower}/scratchBackEdge.ts`, `export * from '../${upper}/${moduleName}'\n`)
      expect(errors, `${lower} importing ${upper}`).toHaveLength(1)
      expect(errors[0].message).toContain(`src/${lower} may not import`)
    }
  })

  it('breaks the loops the issue found: domain, records and access reach neither each other upwards nor the config', async () => {
    expect(await layerErrors('src/domain/scratchBackEdge.ts', "import { countQuota } from '../records/quotas/countQuota'\nexport const a = countQuota\n")).toHaveLength(1)
    expect(await layerErrors('src/access/scratchBackEdge.ts', "import { numbered } from '../records/numbering'\nexport const a = numbered\n")).toHaveLength(1)
    expect(await layerErrors('src/records/scratchBackEdge.ts', "import { checkProjectWrite } from '../access/checkProjectWrite'\nexport const a = checkProjectWrite\n")).toEqual([])
    expect(await layerErrors('src/search/scratchBackEdge.ts', "import { keyId } from '../db/indexes'\nexport const a = keyId\n")).toHaveLength(1)
    expect(await layerErrors('src/audit/scratchBackEdge.ts', "import { isProjectMember } from '../access/isProjectMember'\nexport const a = isProjectMember\n")).toHaveLength(1)
    expect(await layerErrors('src/collections/scratchBackEdge.ts', "import config from '@payload-config'\nexport const a = config\n")).toHaveLength(1)
  })

  it('passes the shared pieces from below: roles and relation ids from model, the project-write error from errors', async () => {
    expect(
      await layerErrors(
        'src/domain/scratchDownward.ts',
        "import { isAdminUser } from '../model/roles'\nimport { relationId } from '../model/references'\nimport { ProjectWriteForbidden } from '../errors'\n\nexport const all = [isAdminUser, relationId, ProjectWriteForbidden]\n",
      ),
    ).toEqual([])
  })

  it('keeps src/domain pure: a Payload or database runtime import fails there, a type import passes', async () => {
    const purity = async (source: string) =>
      (await eslint.lintText(source, { filePath: path.join(root, 'src/domain/scratchPure.ts') }))[0].messages.filter(
        (message) => message.ruleId === '@typescript-eslint/no-restricted-imports',
      )
    expect(await purity("import { getPayload } from 'payload'\nimport { Types } from 'mongoose'\n\nexport const both = [getPayload, Types]\n")).toHaveLength(2)
    expect(await purity("import type { PayloadRequest } from 'payload'\n\nexport type Scratch = PayloadRequest\n")).toEqual([])
  })
})
