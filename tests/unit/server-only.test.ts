/**
 * Modules that read storage or configuration and run only inside Next carry `import 'server-only'`
 * (README "Layout"), so a client import fails the build instead of shipping them to a browser.
 * Checked here for the service folders: every module that imports the query runner, storage,
 * configuration or a SQL module has the marker. (The foundation modules the tsx scripts use cannot
 * carry it; the lint rules guard them.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVICE_DIRS = ['lib/metrics', 'lib/privacy', 'lib/alerts', 'lib/stage-gates'];
const SERVER_IMPORT = /from '(@\/lib\/(query|env|clickhouse)|@\/sql\/[^']+|\.\.\/(query|env|clickhouse))'/;

function modules(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? modules(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );
}

describe("import 'server-only'", () => {
  const files = [...SERVICE_DIRS.flatMap(modules), 'lib/api/define-route.ts', 'lib/startup.ts', 'lib/ingest-service.ts'];

  it('finds the service modules', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files)('%s carries the marker if it reads storage or configuration', (file) => {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    if (SERVER_IMPORT.test(source) || !SERVICE_DIRS.some((dir) => file.startsWith(dir))) {
      expect(source).toMatch(/^import 'server-only';$/m);
    }
  });
});
