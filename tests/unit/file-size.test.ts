/**
 * No source file over 400 lines (issue 9): a file a newcomer can hold in their head. Past that,
 * split it along its seams into cohesive modules rather than raising the limit.
 *
 * Counted: the repository's .ts, .tsx and .mjs files (tracked, or new and not ignored). Not counted:
 * tests (tests/, *.test.ts, *.spec.ts), fixtures, node_modules, build output, declaration files and
 * generated files (an `@generated` marker in their first lines).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAX_LINES = 400;
const SOURCE = /\.(ts|tsx|mjs)$/;

/** Whether a repository-relative path is counted (before looking at its content). */
function isCountedPath(file: string): boolean {
  const segments = file.split('/');
  if (!SOURCE.test(file) || file.endsWith('.d.ts')) return false;
  if (/\.(test|spec)\.tsx?$/.test(file)) return false;
  if (segments[0] === 'tests') return false;
  if (segments.some((segment) => segment === 'node_modules' || segment === 'dist' || segment.startsWith('.'))) return false;
  return !segments.some((segment) => /fixtures?/i.test(segment));
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'test-results'
        ? []
        : walk(path.join(dir, entry.name), relative);
    }
    return entry.isFile() ? [relative] : [];
  });
}

/** The repository's files: tracked plus new ones git does not ignore; without git, a walk of the tree. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.split('\0').filter(Boolean);
  } catch {
    return walk(ROOT);
  }
}

function lineCount(text: string): number {
  if (text === '') return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

const isGenerated = (text: string) => /@generated\b/.test(text.split('\n', 5).join('\n'));

describe('source file size', () => {
  it('counts sources and leaves out tests, fixtures, build output and declarations', () => {
    expect(isCountedPath('ingest/decode.ts')).toBe(true);
    expect(isCountedPath('components/kit/panel.tsx')).toBe(true);
    expect(isCountedPath('eslint.config.mjs')).toBe(true);
    expect(isCountedPath('tests/unit/file-size.test.ts')).toBe(false);
    expect(isCountedPath('tests/e2e/pages/rp-pages.ts')).toBe(false);
    expect(isCountedPath('examples/relying-party/server.test.ts')).toBe(false);
    expect(isCountedPath('bench/ingest-fixtures.ts')).toBe(false);
    expect(isCountedPath('packages/telemetry/dist/server.js')).toBe(false);
    expect(isCountedPath('packages/telemetry/node_modules/x/index.ts')).toBe(false);
    expect(isCountedPath('next-env.d.ts')).toBe(false);
    expect(isCountedPath('README.md')).toBe(false);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('')).toBe(0);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const files = repositoryFiles().filter(isCountedPath);
    expect(files).toContain('ingest/decode.ts');
    const over: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(path.join(ROOT, file), 'utf8');
      } catch {
        continue; // deleted in the working tree but not yet in the index
      }
      if (isGenerated(text)) continue;
      const lines = lineCount(text);
      if (lines > MAX_LINES) over.push(`${file}: ${lines} lines`);
    }
    expect(over, `source files over ${MAX_LINES} lines — split them along their seams:\n${over.join('\n')}`).toEqual([]);
  });
});
