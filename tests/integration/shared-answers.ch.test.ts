/**
 * Shared answers against the running app (lib/api/shared-answers.ts): identical reads asked together
 * are answered by one computation, and never across a change of the data — a read after an
 * acknowledged ingest request, or after any write request, is computed afresh and sees it.
 */
import { describe, expect, inject, it } from 'vitest';
import { otlpJson, postLogs, uid } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const ingestToken = inject('ingestToken');
const DAY_MS = 86_400_000;

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, { headers });
  return { status: response.status, servedFrom: response.headers.get('x-served-from'), body: await response.text() };
}

/** A window of its own (nobody else in the suite asks it), ending a few seconds from now. */
function window(): string {
  const to = Date.now() + 5_000 + Math.floor(Math.random() * 1000);
  return `from=${new Date(to - 28 * DAY_MS).toISOString()}&to=${new Date(to).toISOString()}`;
}

describe('shared answers', () => {
  it('answers identical reads asked together with one computation, and says so', async () => {
    const path = `/api/v1/overview?${window()}`;
    const answers = await Promise.all([get(path), get(path), get(path)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.servedFrom === null)).toHaveLength(1);
    expect(answers.filter((a) => a.servedFrom === 'shared-answer')).toHaveLength(2);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    // asked for itself (Cache-Control: no-cache), a read is computed afresh: the same answer
    const fresh = await get(path, { 'cache-control': 'no-cache' });
    expect(fresh.servedFrom).toBeNull();
    expect(JSON.parse(fresh.body)).toEqual(JSON.parse(answers[0]!.body));
  });

  it('computes afresh after an ingest request was acknowledged: the new event is in the answer', async () => {
    const userId = uid('shared');
    const path = `/api/v1/events?userId=${userId}&${window()}`;
    const before = await get(path);
    expect(JSON.parse(before.body).events).toEqual([]);
    expect((await get(path)).servedFrom).toBe('shared-answer');
    const stored = await postLogs(
      baseUrl,
      JSON.stringify(
        otlpJson([
          {
            eventName: 'auth.sign_in',
            timeMs: Date.now() - 1000,
            attributes: { 'user.id': userId, 'auth.method': 'password', 'auth.result': 'success' },
          },
        ]),
      ),
      { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` },
    );
    expect(stored.status).toBe(200);
    const after = await get(path);
    expect(after.servedFrom).toBeNull();
    expect(JSON.parse(after.body).events.map((e: { eventName: string }) => e.eventName)).toEqual(['auth.sign_in']);
  });

  it('computes afresh after any write request, even a refused one', async () => {
    const path = `/api/v1/annotations?${window()}`;
    await get(path);
    expect((await get(path)).servedFrom).toBe('shared-answer');
    const refused = await fetch(`${baseUrl}/api/v1/stages/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'not-an-action' }),
    });
    expect(refused.status).toBe(400);
    expect((await get(path)).servedFrom).toBeNull();
  });

  it('shares nothing that depends on a configuration file or on who asks: the stage gates are computed per request', async () => {
    await get('/api/v1/stages/history?days=7');
    expect((await get('/api/v1/stages/history?days=7')).servedFrom).toBeNull();
  });
});
