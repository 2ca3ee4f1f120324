/**
 * The telemetry SDK is a package a relying party installs (packages/telemetry): it must stand on
 * its own. Its sources import only each other and the npm packages its package.json declares;
 * relative imports carry the `.ts` extension so `tsc` rewrites them to the `.js` that Node's ESM
 * loader needs in the built package; every export target exists. On the other side, the app, the
 * reference relying party and the tests reach it only by its package name, never by a path into
 * packages/, and the reference relying party imports nothing of the app.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGE_DIR = path.join(ROOT, 'packages/telemetry');
const SOURCE_DIR = path.join(PACKAGE_DIR, 'src');
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return ['node_modules', 'dist'].includes(name) || name.startsWith('.') ? [] : tsFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Static imports and re-exports, side-effect imports and dynamic imports with a literal specifier. */
function specifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
  found.push(...[...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? ''));
  found.push(...[...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? ''));
  return found;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const relative = (file: string) => path.relative(ROOT, file);

describe('the telemetry SDK package', () => {
  const sources = tsFiles(SOURCE_DIR);
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);

  it('has its sources', () => {
    expect(sources.map(relative)).toEqual(expect.arrayContaining(['packages/telemetry/src/index.ts', 'packages/telemetry/src/server.ts']));
  });

  it('imports nothing from outside the package but the npm packages its package.json declares', () => {
    const problems: string[] = [];
    for (const file of sources) {
      for (const specifier of specifiers(file)) {
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), specifier);
          if (!target.startsWith(SOURCE_DIR + path.sep)) problems.push(`${relative(file)}: ${specifier} leaves the package`);
          else if (!specifier.endsWith('.ts'))
            problems.push(`${relative(file)}: ${specifier} needs its .ts extension (rewritten to .js on build)`);
          else if (!existsSync(target)) problems.push(`${relative(file)}: ${specifier} does not exist`);
        } else if (specifier.startsWith('@/') || specifier.startsWith('/')) {
          problems.push(`${relative(file)}: ${specifier} is a path into the app`);
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier) && !declared.has(packageOf(specifier))) {
          problems.push(`${relative(file)}: ${specifier} is not a dependency or peer dependency in packages/telemetry/package.json`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('exports files that exist', () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      expect(existsSync(path.join(PACKAGE_DIR, target)), `${subpath} → ${target}`).toBe(true);
    }
  });

  it('is imported by its package name only, never by a path into packages/', () => {
    const users = ['app', 'components', 'lib', 'ingest', 'sql', 'scripts', 'examples', 'bench', 'tests']
      .map((dir) => path.join(ROOT, dir))
      .filter(existsSync)
      .flatMap(tsFiles);
    const problems = users.flatMap((file) =>
      specifiers(file)
        .filter((specifier) => /(^|\/)packages\/telemetry(\/|$)/.test(specifier))
        .map((specifier) => `${relative(file)}: ${specifier}`),
    );
    expect(problems).toEqual([]);
  });

  it('is all the reference relying party takes from this repository', () => {
    const rpDir = path.join(ROOT, 'examples/relying-party');
    const problems = tsFiles(rpDir).flatMap((file) =>
      specifiers(file)
        .filter((specifier) =>
          specifier.startsWith('.')
            ? !path.resolve(path.dirname(file), specifier).startsWith(rpDir + path.sep)
            : specifier.startsWith('@/'),
        )
        .map((specifier) => `${relative(file)}: ${specifier}`),
    );
    expect(problems).toEqual([]);
  });
});
