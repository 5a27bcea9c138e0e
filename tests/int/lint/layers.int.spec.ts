import { ESLint } from 'eslint'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

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
        "import { encodeCursor } from '../lib/cursor'\nimport { slugs } from '../model/slugs'\nimport { relationId } from '../domain/references'\n\nexport const all = [encodeCursor, slugs, relationId]\n",
      ),
    ).toEqual([])
    expect(
      await layerErrors('src/http/scratchConfig.ts', "import config from '@payload-config'\n\nexport const scratch = config\n"),
    ).toEqual([])
  })
})
