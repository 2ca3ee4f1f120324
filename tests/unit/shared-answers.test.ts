/** Shared answers (lib/api/shared-answers.ts): one computation for identical reads, never across a change of the data. */
import { describe, expect, it } from 'vitest';
import { dataChanged } from '@/lib/data-changes';
import {
  ANSWER_BEGAN_HEADER,
  questionOf,
  SHARED_ANSWER_HEADER,
  SHARED_ANSWER_MS,
  SHARED_ANSWERS_KEPT,
  sharedAnswer,
} from '@/lib/api/shared-answers';
import { beginInsert } from '@/ingest/unsettled';

const NOW = 1_800_000_000_000;
let asked = 0;
/** A question nobody else in this file asks. */
const fresh = () => `/api/v1/overview?from=2026-11-01&q=${++asked}`;

/** A computation that counts its runs and answers when released. */
function computation(body = 'answer', status = 200) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const run = {
    count: 0,
    release,
    compute: async () => {
      run.count++;
      await released;
      return Response.json({ body }, { status });
    },
  };
  return run;
}

describe('shared answers', () => {
  it('answers identical reads under way with one computation, each with its own readable response', async () => {
    const question = fresh();
    const run = computation();
    const first = sharedAnswer(question, run.compute, NOW);
    const second = sharedAnswer(question, run.compute, NOW + 100);
    run.release();
    const [a, b] = await Promise.all([first, second]);
    expect(run.count).toBe(1);
    expect(await a.json()).toEqual({ body: 'answer' });
    expect(await b.json()).toEqual({ body: 'answer' });
    expect(a.headers.get(SHARED_ANSWER_HEADER)).toBeNull();
    expect(b.headers.get(SHARED_ANSWER_HEADER)).toBe('shared-answer');
    expect(b.headers.get(ANSWER_BEGAN_HEADER)).toBe(new Date(NOW).toISOString());
    // done, and still shared within its time
    const third = await sharedAnswer(question, run.compute, NOW + SHARED_ANSWER_MS);
    expect(run.count).toBe(1);
    expect(await third.json()).toEqual({ body: 'answer' });
  });

  it('computes again once the read began more than SHARED_ANSWER_MS ago', async () => {
    const question = fresh();
    const run = computation();
    run.release();
    await sharedAnswer(question, run.compute, NOW);
    const later = await sharedAnswer(question, run.compute, NOW + SHARED_ANSWER_MS + 1);
    expect(run.count).toBe(2);
    expect(later.headers.get(SHARED_ANSWER_HEADER)).toBeNull();
  });

  it('never shares a read begun before the data changed: an insert settled or a write answered', async () => {
    const question = fresh();
    const run = computation();
    run.release();
    await sharedAnswer(question, run.compute, NOW);
    const settled = beginInsert(NOW);
    await sharedAnswer(question, run.compute, NOW + 1);
    expect(run.count).toBe(1); // an insert in flight is not acknowledged yet
    settled();
    await sharedAnswer(question, run.compute, NOW + 2);
    expect(run.count).toBe(2);
    dataChanged();
    await sharedAnswer(question, run.compute, NOW + 3);
    expect(run.count).toBe(3);
  });

  it('keeps no failure: an error status or a thrown error is met afresh by the next request', async () => {
    const question = fresh();
    const failing = computation('busy', 503);
    failing.release();
    expect((await sharedAnswer(question, failing.compute, NOW)).status).toBe(503);
    expect((await sharedAnswer(question, failing.compute, NOW + 1)).status).toBe(503);
    expect(failing.count).toBe(2);

    const other = fresh();
    let throws = 0;
    const broken = async (): Promise<Response> => {
      throws++;
      throw new Error('storage unavailable');
    };
    await expect(sharedAnswer(other, broken, NOW)).rejects.toThrow('storage unavailable');
    await expect(sharedAnswer(other, broken, NOW + 1)).rejects.toThrow('storage unavailable');
    expect(throws).toBe(2);
  });

  it('keeps no export for later requests: a CSV is answered to those waiting for it, then computed afresh', async () => {
    const question = fresh();
    let runs = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const csv = async () => {
      runs++;
      await released;
      return new Response('user_id\nu1\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } });
    };
    const first = sharedAnswer(question, csv, NOW);
    const waiting = sharedAnswer(question, csv, NOW + 1);
    release();
    expect(await (await first).text()).toBe('user_id\nu1\n');
    expect(await (await waiting).text()).toBe('user_id\nu1\n');
    expect(runs).toBe(1);
    await sharedAnswer(question, csv, NOW + 2);
    expect(runs).toBe(2);
  });

  it('tells questions apart by path and parameters, not by their order or the host', () => {
    expect(questionOf('http://a:3000/api/v1/overview?to=2&from=1&os=iOS')).toBe(
      questionOf('http://127.0.0.1/api/v1/overview?from=1&os=iOS&to=2'),
    );
    expect(questionOf('http://a/api/v1/overview?from=1')).not.toBe(questionOf('http://a/api/v1/signin?from=1'));
    expect(questionOf('http://a/api/v1/overview?os=iOS')).not.toBe(questionOf('http://a/api/v1/overview?os=Android'));
  });

  it('keeps at most SHARED_ANSWERS_KEPT answers, the newest', async () => {
    const run = computation();
    run.release();
    const questions = Array.from({ length: SHARED_ANSWERS_KEPT + 5 }, fresh);
    for (const question of questions) await sharedAnswer(question, run.compute, NOW);
    expect(run.count).toBe(questions.length);
    await sharedAnswer(questions.at(-1)!, run.compute, NOW);
    expect(run.count).toBe(questions.length);
    await sharedAnswer(questions[0]!, run.compute, NOW);
    expect(run.count).toBe(questions.length + 1);
  });
});
