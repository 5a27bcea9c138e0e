import { beforeAll, describe, expect, it } from 'vitest'

import { activeScanThreads, allocateRows, normalize, type RowSet, scanTopK, topKSimilar } from '../../../../src/search/vectors/cosineTopK'
import { cosine, randomVector, seededRandom } from '../../../helpers/randomVectors'

function randomSets(random: () => number, counts: number[], dimensions: number) {
  const raw = counts.map((count) => Array.from({ length: count }, () => randomVector(random, dimensions)))
  const sets: RowSet[] = raw.map((vectors) => {
    const rows = allocateRows(vectors.length, dimensions)
    vectors.forEach((vector, row) => normalize(vector, rows.subarray(row * dimensions, (row + 1) * dimensions)))
    return { vectors: rows, dimensions, count: vectors.length }
  })
  return { raw, sets }
}

/** Brute force in doubles over number[] vectors: every cosine, sorted, best k. */
function bruteForce(raw: number[][][], query: number[], k: number, accept: (set: number, row: number) => boolean) {
  return raw
    .flatMap((vectors, set) => vectors.map((vector, row) => ({ set, row, score: cosine(vector, query) })))
    .filter(({ set, row }) => accept(set, row))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
}

/** The exact in-memory top-k against a brute-force sort of every cosine, on random data: recall must be 1.0. */
describe('cosine top-k', () => {
  // Two scan threads whatever this machine has, so the split path is the one under test.
  beforeAll(() => void (process.env.SIMILAR_MEDIA_SCAN_THREADS = '2'))

  for (const { dimensions, counts, k, seed } of [
    { dimensions: 1024, counts: [3000], k: 10, seed: 1 },
    { dimensions: 512, counts: [1200, 800], k: 100, seed: 2 },
    { dimensions: 7, counts: [500], k: 1, seed: 3 },
    { dimensions: 1023, counts: [40, 0, 25], k: 100, seed: 4 },
  ]) {
    it(`equals brute force on one thread (${counts.join(' + ')} × ${dimensions}-d, top ${k})`, () => {
      const random = seededRandom(seed)
      const { raw, sets } = randomSets(random, counts, dimensions)
      for (let q = 0; q < 5; q++) {
        const query = randomVector(random, dimensions)
        // A filter, as mediaType filtering does: only even rows.
        const filtered = q % 2 === 1
        const scoped = filtered ? sets.map((set) => ({ ...set, mask: Uint8Array.from({ length: set.count }, (_, row) => (row % 2 === 0 ? 1 : 0)) })) : sets
        const got = scanTopK({ sets: scoped, query: normalize(query), k })
        const expected = bruteForce(raw, query, k, (_, row) => !filtered || row % 2 === 0)
        expect(got.map(({ set, row }) => [set, row])).toEqual(expected.map(({ set, row }) => [set, row]))
        got.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index].score, 5))
      }
    })
  }

  it('split across scan threads, answers exactly what one thread answers (runs that span sets, masks)', async () => {
    const random = seededRandom(5)
    // 5,200 rows × 1024-d is above the parallel threshold; the split's boundary falls inside the second set.
    const { raw, sets } = randomSets(random, [1500, 3000, 700], 1024)
    sets[1].mask = Uint8Array.from({ length: sets[1].count }, (_, row) => (row % 3 === 0 ? 0 : 1))
    for (let q = 0; q < 4; q++) {
      const query = randomVector(random, 1024)
      const threaded = await topKSimilar({ sets, query: normalize(query), k: 25 })
      expect(threaded).toEqual(scanTopK({ sets, query: normalize(query), k: 25 }))
      const expected = bruteForce(raw, query, 25, (set, row) => set !== 1 || row % 3 !== 0)
      expect(threaded.map(({ set, row }) => [set, row])).toEqual(expected.map(({ set, row }) => [set, row]))
    }
    // The answer came from the threads, not from the single-thread fallback after a failure.
    expect(activeScanThreads()).toBe(2)
  })

  it('keeps the k best when scores tie or arrive in rising order, ties in scan order on every path', async () => {
    const at = (angle: number) => [Math.cos(angle), Math.sin(angle)]
    const raw = [[at(1.4), at(1.2), at(1.0), at(1.0), at(0.1), at(1.5)]]
    const vectors = allocateRows(6, 2)
    raw[0].forEach((vector, row) => vectors.set(vector, row * 2))
    const sets = [{ vectors, dimensions: 2, count: 6 }]
    expect(scanTopK({ sets, query: normalize([1, 0]), k: 3 }).map((hit) => hit.row)).toEqual([4, 2, 3])
    expect(scanTopK({ sets, query: normalize([1, 0]), k: 1 }).map((hit) => hit.row)).toEqual([4])
    expect((await topKSimilar({ sets, query: normalize([1, 0]), k: 10 })).map((hit) => hit.row)).toEqual([4, 2, 3, 1, 0, 5])
  })
})
