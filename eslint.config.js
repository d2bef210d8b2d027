// Lint, including the architecture: the layer rules below fail the lint when a file
// imports across a boundary (DESIGN.md: domain → store → services → api → transports →
// renderer). tests/unit/layering.test.ts proves each rule fires.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'worker_threads',
];
const io = [...nodeBuiltins, 'better-sqlite3', 'kysely', 'kysely/*', 'electron'];

/** A rule saying which import paths a layer may not use, and why. */
const layer = (files, groups, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The sandboxed preload must be CommonJS; `import x = require()` is how TS spells that.
  {
    files: ['**/*.cjs', '**/*.cts', 'scripts/**', 'bin/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },

  // ---- layering ----
  layer(
    ['src-main/contract/**'],
    ['../*', '!../contract', ...io, 'react', 'pinyin-pro', '@faker-js/*'],
    'The contract is shared with the renderer: it may import zod and itself only.',
  ),
  layer(
    ['src-main/domain/**'],
    [
      ...io,
      '**/store/**',
      '**/services/**',
      '**/api/**',
      '**/electron/**',
      '**/web/**',
      '**/cli/**',
      '**/sync/**',
    ],
    'domain holds pure business rules: no I/O, and nothing from store/services/api/transports.',
  ),
  layer(
    ['src-main/store/**'],
    [...['electron'], '**/services/**', '**/api/**', '**/electron/**', '**/web/**', '**/cli/**'],
    'store may use domain and contract only.',
  ),
  layer(
    ['src-main/services/**'],
    ['better-sqlite3', 'electron', '**/api/**', '**/electron/**', '**/web/**', '**/cli/**'],
    'services reach SQLite only through the store, and know nothing of transports.',
  ),
  layer(
    ['src-main/sync/**'],
    ['electron', '**/api/**', '**/electron/**', '**/web/**', '**/cli/**', '**/src-server/**'],
    'The sync engine sits beside the services: store, domain and contract; the API drives it.',
  ),
  layer(
    ['src-server/**'],
    [
      'electron',
      '**/src-main/*',
      '!**/src-main/contract',
      '**/src-main/*/**',
      '!**/src-main/contract/**',
    ],
    'The sync server shares only the contract with the app: it never runs the desktop’s services.',
  ),
  layer(
    ['src-main/api/**'],
    ['better-sqlite3', 'electron', '**/electron/**', '**/web/**', '**/cli/**'],
    'api knows no transport.',
  ),
  layer(
    ['src-main/electron/**', 'src-main/web/**'],
    ['better-sqlite3', 'kysely', '**/domain/**', '**/store/**', '**/services/**'],
    'Transports import only the api layer (and the contract).',
  ),
  layer(
    ['src-renderer/**'],
    [
      ...io,
      '**/src-main/*',
      '!**/src-main/contract',
      '**/src-main/*/**',
      '!**/src-main/contract/**',
    ],
    'The renderer talks to the main process through the API client; from src-main it may import the contract only.',
  ),
  layer(
    ['src-main/cli/**', 'bench/**'],
    ['electron', '**/electron/**'],
    'The CLI and benchmark run in plain Node.',
  ),
);
