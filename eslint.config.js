import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { layersPlugin } from './tools/eslint-layers.mjs'

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'web/**',
      'coverage/**',
      'artifacts/**',
      '.keyless/**',
      'bin/**',
      'tools/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { layers: layersPlugin },
    rules: {
      'layers/direction': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // Pure code (tools/eslint-layers.mjs: no Node built-ins imported) uses no Node global either,
    // but for base64url.ts, which decodes token segments with Buffer's native codec (measured).
    files: ['src/policy/**/*.ts', 'src/federation/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/federation/base64url.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Pure code: use src/federation/base64url.ts.' },
        { name: 'process', message: 'Pure code: time, settings and I/O come in.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
