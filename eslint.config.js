// The lint rules `npm test` enforces: typescript-eslint's recommended rules with type
// information, plus the few that keep this code base's own conventions (no `any`, promises
// always handled, type-only imports marked).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // node:test runs what test() and describe() return; awaiting them would be wrong.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // tsc's noUnusedLocals and noUnusedParameters already say this, once.
      '@typescript-eslint/no-unused-vars': 'off',
      // Terminal control and name escaping match control characters on purpose.
      'no-control-regex': 'off',
      // `async` marks a function that fulfils a Promise-returning contract; it need not await.
      '@typescript-eslint/require-await': 'off',
      // A failure caught as `unknown` is passed on as it came.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
