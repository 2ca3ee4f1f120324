/**
 * Bundles the page scripts (client/*.ts: the SDK's browser entry point, @simplewebauthn/browser
 * and the page logic) with esbuild, in memory, once at server start. esbuild resolves
 * `@passkey-rollout/telemetry/browser` through the workspace link to the package's TypeScript
 * sources (no build step) and picks the OpenTelemetry exporters' browser builds.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { PAGES } from './client/page-config';

/** The home page is plain HTML; every other page has `client/<page>.ts`. */
const SCRIPTED_PAGES = PAGES.filter((page) => page !== 'home');
const CLIENT_DIR = path.join(import.meta.dirname, 'client');
const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** `login.js` → its bundled source. */
export async function bundleClient(options: { minify?: boolean } = {}): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: Object.fromEntries(SCRIPTED_PAGES.map((page) => [page, path.join(CLIENT_DIR, `${page}.ts`)])),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'edge111', 'firefox111', 'safari16.4'],
    write: false,
    outdir: path.join(CLIENT_DIR, 'out'),
    tsconfig: path.join(REPOSITORY_ROOT, 'tsconfig.json'),
    // Inlined so the SDK's privacy guard is strict in development and lenient in production.
    define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV === 'production' ? 'production' : 'development') },
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), file.text]));
}
