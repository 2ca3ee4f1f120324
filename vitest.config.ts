import { defineConfig } from 'vitest/config';
import path from 'node:path';

// `server-only` marks modules that must never reach a browser bundle; Next resolves it to an empty
// module on the server. Tests import those modules directly, so they get the same empty module.
const alias = { '@': path.resolve(import.meta.dirname), 'server-only': path.resolve(import.meta.dirname, 'tests/setup/server-only.ts') };

// Three kinds of test, by suffix (see STYLE.md):
//   *.test.ts     unit — pure modules, no storage
//   *.ch.test.ts  integration — the real embedded ClickHouse and the running app
//   *.spec.ts     end to end — Playwright driving Debian's Chromium against the running app
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.ch.test.ts'],
          environment: 'node',
          // Some unit files do real work over real HTTP (the reference RP hashes a password and eight
          // backup codes with scrypt per sign-up); beside the engine on two cores in CI, a test of
          // a few sign-ins took over vitest's default 5 s once.
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/**/*.ch.test.ts'],
          pool: 'forks',
          globalSetup: ['tests/setup/app-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/**/*.spec.ts'],
          pool: 'forks',
          globalSetup: ['tests/setup/app-server.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
