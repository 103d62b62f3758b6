// Lint rules for the whole workspace. The package-boundary rules below encode the design's
// one-way data flow: core imports no other Kiln package; a backend imports only core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const otherPackages = (allowed) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: `^@kiln/(?!(${allowed.join('|')})$)`,
          message: 'Package boundary: this package may not import that Kiln package.',
        },
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['packages/core/**/*.ts'], rules: otherPackages(['__none__']) },
  { files: ['packages/backend-*/**/*.ts'], rules: otherPackages(['core']) },
  { files: ['packages/dsl/**/*.ts'], rules: otherPackages(['core']) },
  // The training package runs on any backend; only its tests may pick one.
  {
    files: ['packages/train/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: otherPackages(['core']),
  },
);
