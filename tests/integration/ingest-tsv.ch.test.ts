/**
 * Ingest inserts its rows as TabSeparated text (ingest/tsv.ts) instead of @clickhouse/client's JSON
 * rows. On the real embedded engine: the same mapped rows inserted both ways store the same values
 * in every column — with hostile text in every kind of column (strings, low-cardinality strings,
 * arrays, map keys and values, the body): backslashes, tabs, newlines, carriage returns, NUL,
 * quotes, brackets, braces, `\N`, replacement characters and astral-plane text — and the numbers,
 * booleans, nulls and times the mapping produces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markRequest } from '@/ingest/coalesced-sink';
import { EVENT_COLUMNS, type EventValues } from '@/ingest/columns';
import { decodeJson } from '@/ingest/decode';
import { mapRecords } from '@/ingest/to-rows';
import { tabSeparatedBody } from '@/ingest/tsv';
import { otlpJson, type TestRecord } from '../helpers/otlp';
import { tempStore } from '../helpers/temp-store';

const temp = tempStore('pa-tsv-');
beforeAll(() => temp.open(), 120_000);
afterAll(() => temp.close());

const HOSTILE = [
  'plain',
  '',
  'back\\slash',
  'ends with a backslash\\',
  'tab\there',
  'new\nline',
  'carriage\rreturn',
  'nul\0byte',
  "single 'quote'",
  'double "quote"',
  "[brackets], {'k':'v'}",
  '\\N',
  '\\t literally',
  'é ü 漢字 😀 \uFFFD',
  '\ud800 lone surrogate',
];

const RECEIVED_MS = Date.now();

function records(): TestRecord[] {
  const now = RECEIVED_MS - 3_600_000;
  return HOSTILE.flatMap((text, i): TestRecord[] => [
    {
      eventName: 'passkey.registration',
      timeMs: now + i * 1_000,
      attributes: {
        'user.id': `u-${i}-${text}`,
        'webauthn.ceremony.id': `c-${i}`,
        'passkey.result': i % 2 ? 'success' : 'failure',
        'passkey.failure.reason': text,
        'webauthn.credential.id': `cred-${i}-${text}`,
        'webauthn.transports': [text, 'internal', `${text}${text}`],
        'webauthn.client.capabilities': i % 3 ? [] : [text],
        'webauthn.flags.be': i % 2 === 0,
        'webauthn.flags.bs': i % 3 === 0,
        'webauthn.aaguid': 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd',
        'passkey.prompt.duration_ms': i * 123.25,
        'user_agent.original': `Mozilla/5.0 ${text}`,
        [`custom.${text}`]: text,
        'custom.number': i,
        'custom.list': [text, text],
      },
    },
    {
      eventName: 'auth.sign_in',
      timeMs: now + i * 1_000 + 500,
      attributes: { 'user.id': `u-${i}-${text}`, 'auth.method': 'password', 'auth.result': 'success', 'auth.flow.id': `f-${i}-${text}` },
    },
  ]);
}

function mapped(request: string): EventValues[] {
  const body = JSON.stringify(
    otlpJson(records(), { 'service.name': 'tsv-test', 'deployment.environment.name': 'prod\t\\\n', 'x.odd': "{'a':'b'}" }),
  );
  const { rows, rejections } = mapRecords(decodeJson(body), RECEIVED_MS, { tokenName: 'tsv' });
  expect(rejections).toEqual([]);
  markRequest(rows, 'c', request);
  return rows;
}

async function stored(request: string): Promise<string[]> {
  const rows = await (
    await temp.store.client.query({
      query: `SELECT * EXCEPT (ingest_request) FROM ceremony_events WHERE ingest_request = {id:String}`,
      query_params: { id: `c${request}` },
      format: 'JSONEachRow',
    })
  ).json<Record<string, unknown>>();
  return rows.map((row) => JSON.stringify(row)).sort();
}

describe('ingest rows as TabSeparated', () => {
  it('stores every value exactly as the JSON rows do', async () => {
    const json = 'a'.repeat(32);
    const tsv = 'b'.repeat(32);
    await temp.store.ingestClient.insert({
      table: 'ceremony_events',
      values: mapped(json),
      columns: [...EVENT_COLUMNS] as [string, ...string[]],
      format: 'JSONCompactEachRow',
    });
    await temp.store.ingestClient.insert({
      table: 'ceremony_events',
      values: tabSeparatedBody(mapped(tsv)),
      columns: [...EVENT_COLUMNS] as [string, ...string[]],
      format: 'TabSeparated',
    });
    const viaJson = await stored(json);
    const viaTsv = await stored(tsv);
    expect(viaJson).toHaveLength(HOSTILE.length * 2);
    expect(viaTsv).toEqual(viaJson);
    // The hostile text arrived intact (not only equal between the two ways).
    expect(viaTsv.join('\n')).toContain(JSON.stringify('tab\there'));
    expect(viaTsv.join('\n')).toContain(JSON.stringify('nul\0byte'));
  });
});
