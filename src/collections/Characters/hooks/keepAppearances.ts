import { keepDerivedFields } from '../../../hooks/keepDerivedFields'

/** appearances are the casting breakdown of the character's scenes (src/records/derivedFigures/index.ts). */
export const keepAppearances = keepDerivedFields({ fields: [{ path: ['appearances'], initial: () => [] }] })
