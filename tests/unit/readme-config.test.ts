/** README names every environment variable lib/env.ts reads (its configuration table is where people look). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zEnv } from '@/lib/env';

describe("README's configuration table", () => {
  it('lists every environment variable of lib/env.ts', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((match) => match[1]));
    const missing = Object.keys(zEnv.shape).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
