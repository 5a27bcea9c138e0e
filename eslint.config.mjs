import nextVitals from 'eslint-config-next/core-web-vitals'
import nextTypescript from 'eslint-config-next/typescript'

/**
 * The layers of src/, top to bottom. A module imports only from its own tier or tiers below it; only app/ and
 * http/ import the Payload config. README's Layout section draws the same diagram. Below the entry points every
 * room but the two leaf pairs (db and providers, which never import each other) is a tier of its own, so an import
 * between rooms runs one way only.
 */
export const layers = [
  ['app', 'instrumentation.ts', 'http', 'worker', 'ops', 'components'],
  ['services'],
  ['monitoring'],
  ['collections'],
  ['hooks'],
  ['fields'],
  ['queue'],
  ['records'],
  ['access'],
  ['audit'],
  ['domain'],
  ['db', 'providers'],
  ['search'],
  ['lib'],
  ['errors'],
  ['model'],
]
const mayImportConfig = new Set(['app', 'http'])

const layerZones = layers.flatMap((tier, index) =>
  tier.map((name) => {
    const above = layers.slice(0, index).flat()
    return {
      target: `./src/${name}`,
      from: [
        ...above.map((upper) => `./src/${upper}`),
        ...(mayImportConfig.has(name) ? [] : ['./payload.config.ts']),
      ],
      message: `src/${name} may not import ${[...above.map((upper) => `src/${upper}`), ...(mayImportConfig.has(name) ? [] : ['the Payload config'])].join(', ')}: imports run down the layers (README, "Layout").`,
    }
  }),
).filter((zone) => zone.from.length > 0)

const eslintConfig = [
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'import/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerZones }],
    },
  },
  {
    // Pure domain rules: no Payload or database runtime (type imports are fine); work that reads or writes the
    // database lives in src/records.
    files: ['src/domain/**/*.{ts,tsx,js,mjs}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['payload', 'payload/shared', 'mongoose', 'mongodb'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'src/domain holds the pure rules: database work goes to src/records (README, "Layout").',
          })),
          patterns: [{ group: ['@payloadcms/*'], allowTypeImports: true, message: 'src/domain holds the pure rules (README, "Layout").' }],
        },
      ],
    },
  },
  {
    // One thrown-error family (src/errors): Payload's error classes are taken through it, never directly.
    files: ['src/**/*.{ts,tsx,js,mjs}', 'payload.config.ts'],
    ignores: ['src/errors/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['payload', 'payload/shared'].map((name) => ({
            name,
            importNames: ['APIError', 'ValidationError'],
            message:
              'Throw and test the error family of src/errors (AppError and its classes, FieldValidationError, isFieldValidationError).',
          })),
        },
      ],
    },
  },
  {
    ignores: [
      '.next/',
      '.next-test/',
      '.cache/',
      '.data/',
      'media/',
      'node_modules/',
      'src/payload-types.ts',
      'src/app/(payload)/',
      'next-env.d.ts',
    ],
  },
]

export default eslintConfig
