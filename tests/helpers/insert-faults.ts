/**
 * The fault the storage-error tests inject into an events insert on its way to the real engine: the
 * rows of the `bad` users get an unparsable `received_at`. Ingest sends its rows as TabSeparated text
 * (ingest/tsv.ts); the tests' user ids need no escaping, so a field is the id itself.
 */
import { Readable } from 'node:stream';
import { EVENT_COLUMNS } from '@/ingest/columns';

const USER = EVENT_COLUMNS.indexOf('user_id');
const RECEIVED = EVENT_COLUMNS.indexOf('received_at');

/** The text of an insert's `values` stream (what ingest sends: TabSeparated, a row per line). */
export async function insertText(values: unknown): Promise<string> {
  let text = '';
  for await (const chunk of values as AsyncIterable<Buffer | string>) text += chunk.toString();
  return text;
}

export async function withUnparsableTime(values: unknown, bad: ReadonlySet<string>): Promise<Readable> {
  const text = await insertText(values);
  const lines = text.split('\n').map((line) => {
    const fields = line.split('\t');
    if (!bad.has(fields[USER] ?? '')) return line;
    fields[RECEIVED] = 'not a time';
    return fields.join('\t');
  });
  return Readable.from([lines.join('\n')], { objectMode: false });
}
