import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { expect, it } from 'vitest'

import type { RouteContract } from '../../../../src/http/openapi/routeContract'

import { routeContracts } from '../../../../src/app/api/v1/contracts'

/**
 * Every /api/v1 route file carries its own contract (docs/API.md, "Route contracts"): a `contract.ts` beside it
 * naming the route's path and exactly the methods it serves, passed to apiRoute, and listed in
 * src/app/api/v1/contracts.ts, from which the OpenAPI document is assembled. Found by walking the route files, so
 * a route added without a contract fails here.
 */
const apiRoot = path.resolve(import.meta.dirname, '../../../../src/app/api/v1')
/** Route files that are no operation: the catch-all answers 404 for any path no route serves (said in the document's description). */
const notOperations = new Set(['[...path]'])

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(path.join(dir, entry.name)) : entry.name === 'route.ts' ? [path.join(dir, entry.name)] : [],
  )
}

/** The methods a route file serves: its exported handlers, less those `otherMethods` refuses with 405. */
function servedMethods(source: string): string[] {
  const exported = [...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((match) => match[1])
  return exported.map((method) => method.toLowerCase()).sort()
}

/** What is wrong with the contracts of the route files under `root` (empty when every route carries its own). */
async function contractProblems(root: string, listed: RouteContract[]): Promise<string[]> {
  const problems: string[] = []
  for (const file of routeFiles(root)) {
    const folder = path.relative(root, path.dirname(file))
    if (notOperations.has(folder)) continue
    const expectedPath = `/api/v1/${folder.split(path.sep).join('/').replace(/\[(\w+)\]/g, '{$1}')}`
    const contractFile = path.join(path.dirname(file), 'contract.ts')
    if (!existsSync(contractFile)) {
      problems.push(`${expectedPath}: no contract.ts beside route.ts`)
      continue
    }
    const source = readFileSync(file, 'utf8')
    if (!source.includes("from './contract'")) problems.push(`${expectedPath}: route.ts does not pass its contract to apiRoute`)
    const { contract } = (await import(contractFile)) as { contract?: RouteContract }
    if (!contract) {
      problems.push(`${expectedPath}: contract.ts exports no \`contract\``)
      continue
    }
    if (contract.path !== expectedPath) problems.push(`${expectedPath}: its contract names ${contract.path}`)
    const declared = Object.keys(contract.operations).sort()
    const served = servedMethods(source)
    if (declared.join() !== served.join()) problems.push(`${expectedPath}: serves ${served.join(', ')} but its contract declares ${declared.join(', ')}`)
    if (!listed.some((entry) => entry.path === contract.path && entry.operations === contract.operations)) {
      problems.push(`${expectedPath}: its contract is not listed in src/app/api/v1/contracts.ts`)
    }
  }
  const paths = listed.map((entry) => entry.path)
  for (const duplicate of paths.filter((entry, index) => paths.indexOf(entry) !== index)) problems.push(`${duplicate}: listed twice`)
  return problems
}

it('every /api/v1 route file carries a contract for exactly the methods it serves, listed for the document', async () => {
  expect(routeFiles(apiRoot).length).toBeGreaterThan(30)
  expect(await contractProblems(apiRoot, routeContracts)).toEqual([])
})

it('fails for a route without a contract, a contract of other methods, and one left out of the list', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'route-contracts-'))
  try {
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
      writeFileSync(path.join(root, file), text)
    }
    write('things/route.ts', 'export const GET = apiRoute(handler)\n')
    write('widgets/[id]/route.ts', "import { contract } from './contract'\nexport const GET = apiRoute(handler, { contract: contract.operations.get })\nexport const DELETE = apiRoute(handler, { contract })\n")
    write('widgets/[id]/contract.ts', "export const contract = { path: '/api/v1/widgets/{id}', operations: { get: {} } }\n")
    expect(await contractProblems(root, [])).toEqual([
      '/api/v1/things: no contract.ts beside route.ts',
      '/api/v1/widgets/{id}: serves delete, get but its contract declares get',
      '/api/v1/widgets/{id}: its contract is not listed in src/app/api/v1/contracts.ts',
    ])
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})
