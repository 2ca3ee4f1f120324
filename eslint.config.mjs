import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', '.data/**', '.data-*/**', '.bench-data/**', 'test-results/**', 'packages/*/dist/**', 'next-env.d.ts'],
  },
];

export default config;
