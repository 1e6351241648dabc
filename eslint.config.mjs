// @ts-check
import { readdirSync } from 'node:fs';
import eslint from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import eslintPluginPrettierRecommended from 'eslint-plugin-prettier/recommended';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The one-way stair of src/ (README, "Project layout"): a folder may import from the rows below its own,
 * never from a row above; import cycles of any length, within a row too, are refused by import-x/no-cycle.
 * The entry points at the top of src/ (main.ts, app.module.ts, configure-app.ts, data-source.ts) may import
 * anything, and so may tests.
 */
const STAIR = [
  ['composite', 'maintenance', 'imports', 'stats', 'console', 'me', 'notes'],
  ['services'],
  ['states'],
  ['tasks'],
  ['reads'],
  ['journey'],
  ['health', 'limits', 'tenancy', 'validation', 'metrics', 'shutdown'],
  ['business-attributes', 'access'],
  ['http'],
  ['errors'],
  ['database', 'logging'],
  ['config', 'json'],
];

// A folder the stair does not list would be checked by no zone, either way: lint refuses to run instead.
const unlisted = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !STAIR.flat().includes(entry.name))
  .map((entry) => `src/${entry.name}`);
if (unlisted.length > 0) {
  throw new Error(
    `${unlisted.join(', ')} not on the module stair: add each to a row of STAIR in eslint.config.mjs ` +
      '(docs/DEVELOPING.md, "Adding a module")',
  );
}

const stairZones = STAIR.flatMap((row, index) =>
  row.map((folder) => ({
    target: `./src/${folder}`,
    from: STAIR.slice(0, index)
      .flat()
      .map((above) => `./src/${above}`),
    message: `src/${folder} sits below these folders on the module stair and may not import them.`,
  })),
).filter((zone) => zone.from.length > 0);

export default tseslint.config(
  { ignores: ['eslint.config.mjs', 'dist/**', 'coverage/**', 'node_modules/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  eslintPluginPrettierRecommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      sourceType: 'commonjs',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: stairZones }],
    },
  },
  {
    // The console runs in the browser, as an ES module bundled by Vite.
    files: ['console/**/*.{ts,tsx,mts}'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
