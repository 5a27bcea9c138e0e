import { readFileSync } from 'node:fs'
import path from 'node:path'

const folder = path.resolve(import.meta.dirname, '../fixtures/screenplays')

/** The test screenplays (original text written for these tests): "The Last Ferry" in Fountain and Final Draft. */
export const screenplayFixture = (name: 'the-last-ferry.fountain' | 'the-last-ferry.fdx') => readFileSync(path.join(folder, name), 'utf8')
