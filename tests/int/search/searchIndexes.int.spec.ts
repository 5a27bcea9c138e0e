import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'

import { searchSources } from '../../../src/search/searchSources'

const root = path.resolve(import.meta.dirname, '../../..')

/** `npm run db:search-indexes` prints the definitions the app creates, with the deployment's dimension. */
it('prints the text, vector and Atlas Search index definitions as JSON', () => {
  const run = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/db-search-indexes.ts'], {
    cwd: root,
    env: { ...process.env, EMBEDDING_DIMENSIONS: '512', DATABASE_URL: '' },
    encoding: 'utf8',
  })
  expect(run.status, run.stderr).toBe(0)
  const printed = JSON.parse(run.stdout)
  expect(printed.vectorSearchIndexes).toEqual([
    {
      collection: 'media',
      name: 'media_embedding_index',
      type: 'vectorSearch',
      definition: {
        fields: [
          { type: 'vector', path: 'embedding', numDimensions: 512, similarity: 'cosine' },
          { type: 'filter', path: 'project' },
          { type: 'filter', path: 'mediaType' },
          { type: 'filter', path: 'createdBy' },
        ],
      },
    },
  ])
  // One weighted text index per searched collection, with the weights the fallback ranks with.
  expect(printed.textIndexes).toHaveLength(Object.keys(searchSources).length)
  const projects = printed.textIndexes.find((index: { collection: string }) => index.collection === 'projects')
  expect(projects).toEqual({
    collection: 'projects',
    name: 'search_text',
    key: { title: 'text', description: 'text' },
    options: { weights: { title: 10, description: 2 }, default_language: 'english' },
  })
  const media = printed.atlasSearchIndexes.find((index: { collection: string }) => index.collection === 'media')
  expect(media.definition.mappings.fields).toEqual({
    alt: { type: 'string' },
    tags: { type: 'string' },
    description: { type: 'string' },
    project: { type: 'objectId' },
    createdBy: { type: 'objectId' },
  })
})
