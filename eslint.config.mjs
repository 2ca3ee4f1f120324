import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import path from 'node:path';

/*
 * Layers (README "Layout"), lowest first; a layer imports only from the layers below it:
 *   1. domain      packages/telemetry (via lib/vocabulary.ts), lib/domain/**
 *   2. foundation  lib/env.ts, lib/clickhouse.ts, lib/query.ts, lib/query-limits.ts, lib/sql.ts, lib/migrate.ts, sql/**
 *   3. services    lib/metrics/**, lib/stage-gates/**, lib/alerts/**, lib/privacy/**, lib/ceremony-states.ts, ingest/**
 *   4. HTTP        app/api/**, app/v1/**, lib/api/**, lib/contracts/** (contracts: browser-safe zod)
 *   5. client      lib/client/**
 *   6. UI          components/**, app/(product)/**
 * Enforced with `no-restricted-imports` regex patterns. A pattern sees only the import string, so
 * each target is matched in its `@/` form and in the relative form it has from the importing file
 * (one block per folder depth, where that form is known). Flat config replaces a rule's options per
 * matching block (it does not merge them), so every file belongs to exactly one block below.
 */

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Modules that hold secrets, storage or process state: never in a browser bundle. */
const SERVER_ONLY = [
  'sql',
  'lib/clickhouse',
  'lib/query',
  'lib/query-limits',
  'lib/migrate',
  'lib/env',
  'lib/startup',
  'lib/announce',
  'lib/tokens',
  'lib/ingest-service',
  'lib/security',
  'lib/simulator',
  'ingest',
  'lib/privacy',
  'lib/ceremony-states',
  'lib/ceremony-state-folds',
  'lib/self-telemetry',
  'lib/data-retention',
  'lib/alerts',
];
const UI_AND_CLIENT = ['app/(product)', 'components', 'lib/client'];
const HTTP = ['app', 'lib/api', 'lib/contracts'];
const REQUEST_PLUMBING = ['lib/api/auth', 'lib/api/define-route', 'lib/api/openapi', 'lib/api/operation'];
const SERVICES = [
  'lib/metrics',
  'lib/stage-gates',
  'lib/privacy',
  'lib/ceremony-states',
  'lib/ceremony-state-folds',
  'ingest',
  'lib/ingest-service',
  'lib/alerts',
];
/** The pure modules of the services and the HTTP layer that browser code may use. */
const PURE_METRICS = '/(?!time-buckets$|contract-parts$)';
const PURE_STAGE_GATES = '/(?!verdict$|stats$)';
const PURE_API = '/(?!params$|errors$)';

/**
 * The `no-restricted-imports` patterns of one block: `rules(forbid)` lists them, where
 * `forbid(message, targets, rest)` refuses each target (a path from the repository root: the
 * module, or the folder and everything under it; `rest` narrows what follows the path) in its `@/`
 * form and its relative form from a file `depth` folders below `dir`.
 */
function patternsFor(dir, depth, rules) {
  const relative = (target) => {
    const rel = path.posix.relative(dir, target);
    return '../'.repeat(depth) + (rel.startsWith('..') ? rel : `./${rel}`);
  };
  const forbid = (message, targets, rest = '(/|$)') => ({
    regex: `^(${targets
      .flatMap((target) => [`@/${target}`, relative(target)])
      .map(escape)
      .join('|')})${rest}`,
    message,
  });
  return rules(forbid);
}

/** One block per folder depth under `dir` (files directly in it, one folder down, …). */
const layerDir = (dir, rules) =>
  [0, 1, 2, 3, 4].map((depth) => ({
    files: [`${dir}/${'*/'.repeat(depth)}*.{ts,tsx,mts}`],
    rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(dir, depth, rules) }] },
  }));

/** Single modules directly in lib/. */
const layerFiles = (files, rules) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: patternsFor('lib', 0, rules) }] },
});

const DOMAIN_ONLY = 'lib/domain is the lowest layer: it may import only lib/domain, lib/vocabulary, zod and @passkey-rollout/telemetry.';

const foundation = (forbid) => [
  forbid('The SQL layer may not import HTTP types (lib/api, lib/contracts, app): take pure types from lib/domain.', HTTP),
  forbid('The SQL layer may not import the UI or the client data layer.', UI_AND_CLIENT),
  forbid('The SQL layer sits below the services: a service imports its queries, not the other way round.', SERVICES),
];
const services = (forbid) => [
  forbid('A service may not import routes (app) or the request plumbing of lib/api (errors and params excepted).', [
    'app',
    ...REQUEST_PLUMBING,
  ]),
  forbid('A service may not import the UI or the client data layer.', UI_AND_CLIENT),
];
const browser = (forbid) => [
  forbid(
    'Browser code may not import SQL, storage, configuration or other server-only modules: fetch through lib/client and a contract.',
    SERVER_ONLY,
  ),
  forbid('Browser code may not import routes.', ['app/api', 'app/v1']),
  forbid('Browser code may import only lib/api/params and lib/api/errors of lib/api.', ['lib/api'], PURE_API),
  forbid('Browser code may import only the pure modules of lib/metrics (time-buckets, contract-parts).', ['lib/metrics'], PURE_METRICS),
  forbid('Browser code may import only the pure modules of lib/stage-gates (verdict, stats).', ['lib/stage-gates'], PURE_STAGE_GATES),
];

const layers = [
  // 1. Domain: pure vocabulary, types and rules.
  ...layerDir('lib/domain', () => [
    { regex: '^@/(?!lib/domain/|lib/vocabulary$)', message: DOMAIN_ONLY },
    { regex: '^\\.\\./(?!vocabulary$)', message: DOMAIN_ONLY },
  ]),

  // 2. Server foundation and the SQL layer: no HTTP types, no services, no UI.
  ...layerDir('sql', foundation),
  layerFiles(
    [
      'lib/env.ts',
      'lib/clickhouse.ts',
      'lib/query.ts',
      'lib/query-limits.ts',
      'lib/sql.ts',
      'lib/migrate.ts',
      'lib/self-telemetry.ts',
      'lib/data-retention.ts',
    ],
    foundation,
  ),

  // 3. Services. ingest/ is framework-free: no routes, no HTTP helpers, no UI.
  ...layerDir('ingest', (forbid) => [
    forbid('ingest/ is framework-free: it may not import routes (app), HTTP helpers (lib/api) or contracts.', HTTP),
    forbid('ingest/ may not import the UI or the client data layer.', UI_AND_CLIENT),
  ]),
  ...layerDir('lib/metrics', services),
  ...layerDir('lib/stage-gates', services),
  ...layerDir('lib/alerts', services),
  layerFiles(['lib/ceremony-states.ts'], services),

  // 4. HTTP layer. Contracts are shared with the browser: zod and pure modules only.
  ...layerDir('lib/contracts', (forbid) => [
    forbid('Contracts reach the browser bundle: they may not import SQL, storage or other server modules.', SERVER_ONLY),
    forbid('Contracts may import only the pure modules of lib/metrics (contract-parts).', ['lib/metrics'], '/(?!contract-parts$)'),
    forbid('Contracts may import only the pure modules of lib/stage-gates (verdict, stats).', ['lib/stage-gates'], PURE_STAGE_GATES),
    forbid('Contracts may not import routes or request plumbing.', ['app', ...REQUEST_PLUMBING]),
    forbid('Contracts may not import the UI or the client data layer.', UI_AND_CLIENT),
  ]),
  ...['app/api', 'app/v1', 'lib/api'].flatMap((dir) =>
    layerDir(dir, (forbid) => [
      forbid('The HTTP layer may not import the UI or the client data layer.', UI_AND_CLIENT),
      // Every route is parse → service → respond: the answer is built by one service function.
      forbid('The HTTP layer may not run SQL itself: call the service of the question (lib/metrics, lib/stage-gates, …).', [
        'sql',
        'lib/query',
      ]),
    ]),
  ),

  // 5 and 6. The client data layer and the UI: browser code.
  ...['components', 'lib/client'].flatMap((dir) => layerDir(dir, browser)),
  // Pages are server components that render the views; they may read server-side helpers (the
  // layout reads DEFAULT_ENVIRONMENT through lib/metrics/environment) but not SQL or storage.
  ...layerDir('app/(product)', (forbid) => [
    forbid('Pages may not import SQL, storage, configuration or other server-only modules directly.', SERVER_ONLY),
  ]),
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...layers,
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.next-*/**',
      '.data/**',
      '.data-*/**',
      '.bench-data/**',
      'test-results/**',
      'packages/*/dist/**',
      'next-env.d.ts',
    ],
  },
];

export default config;
