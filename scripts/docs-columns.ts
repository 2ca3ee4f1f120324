/**
 * Writes the column reference of docs/semantic-conventions.md (section 11) from the column
 * declaration in ingest/columns.ts. Run after changing a column:
 *
 *   npm run docs:columns
 *
 * tests/unit/semantic-conventions-doc.test.ts fails while the doc and the declaration differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { columnReference } from '../ingest/columns';

export const COLUMNS_DOC = path.resolve(import.meta.dirname, '../docs/semantic-conventions.md');
export const BEGIN_MARKER = '<!-- columns: generated from ingest/columns.ts by scripts/docs-columns.ts; do not edit by hand -->';
export const END_MARKER = '<!-- columns: end -->';

/** The generated region of the doc, between the markers (markers excluded); undefined when missing. */
export function generatedRegion(doc: string): string | undefined {
  const begin = doc.indexOf(BEGIN_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (begin < 0 || end < begin) return undefined;
  return doc.slice(begin + BEGIN_MARKER.length, end);
}

/** What the generated region must hold. */
export function expectedRegion(): string {
  return `\n\n${columnReference()}\n\n`;
}

export function withColumnReference(doc: string): string {
  const current = generatedRegion(doc);
  if (current === undefined) throw new Error(`${COLUMNS_DOC}: the markers ${BEGIN_MARKER} … ${END_MARKER} are missing`);
  const begin = doc.indexOf(BEGIN_MARKER) + BEGIN_MARKER.length;
  return doc.slice(0, begin) + expectedRegion() + doc.slice(begin + current.length);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const doc = fs.readFileSync(COLUMNS_DOC, 'utf8');
  const updated = withColumnReference(doc);
  if (updated === doc) console.log(`${path.relative(process.cwd(), COLUMNS_DOC)}: column reference up to date`);
  else {
    fs.writeFileSync(COLUMNS_DOC, updated);
    console.log(`${path.relative(process.cwd(), COLUMNS_DOC)}: column reference rewritten`);
  }
}
