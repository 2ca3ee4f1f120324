/** The current stage-gate evaluation, kept and refreshed behind the viewer (lib/stage-gates/kept-evaluations.ts). */
import { describe, expect, it } from 'vitest';
import { keptEvaluations, watchedQuestions } from '@/lib/stage-gates/kept-evaluations';

const MINUTE = 60_000;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 12, minute));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A measurement that records what it was asked and answers when told to. */
function measurements() {
  const asked: number[] = [];
  const pending = new Map<number, ReturnType<typeof deferred<string>>>();
  const measure = (to: Date) => {
    asked.push(to.getUTCMinutes());
    const d = deferred<string>();
    pending.set(to.getUTCMinutes(), d);
    return d.promise;
  };
  const answer = async (minute: number) => {
    pending.get(minute)!.resolve(`evaluation ${minute}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const fail = async (minute: number) => {
    pending.get(minute)!.reject(new Error('storage down'));
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { asked, measure, answer, fail };
}

describe('kept stage-gate evaluations', () => {
  it('shares one measurement per minute, serves a kept one up to maxAge old while the next is measured, and waits past it', async () => {
    const kept = keptEvaluations<string>({ maxAgeMs: 2 * MINUTE, keys: 4 });
    const m = measurements();

    // Nothing kept: two viewers of minute 0 share one measurement and wait for it.
    const first = kept.get('k', at(0), m.measure);
    const second = kept.get('k', at(0), m.measure);
    await m.answer(0);
    expect(await first).toEqual({ to: at(0).getTime(), value: 'evaluation 0' });
    expect(await second).toEqual({ to: at(0).getTime(), value: 'evaluation 0' });
    expect(m.asked).toEqual([0]);

    // Minute 1: minute 0's is served at once, minute 1's is measured behind it (once for both viewers).
    expect(await kept.get('k', at(1), m.measure)).toEqual({ to: at(0).getTime(), value: 'evaluation 0' });
    expect(await kept.get('k', at(1), m.measure)).toEqual({ to: at(0).getTime(), value: 'evaluation 0' });
    expect(m.asked).toEqual([0, 1]);
    await m.answer(1);
    expect(await kept.get('k', at(1), m.measure)).toEqual({ to: at(1).getTime(), value: 'evaluation 1' });

    // Minute 3 is two minutes on: still served from minute 1 (the stated freshness), measured behind.
    expect((await kept.get('k', at(3), m.measure)).value).toBe('evaluation 1');
    await m.answer(3);

    // Minute 6 is three minutes past the newest kept (3): too old to serve, the viewer waits.
    let settled = false;
    const late = kept.get('k', at(6), m.measure).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    await m.answer(6);
    expect(await late).toEqual({ to: at(6).getTime(), value: 'evaluation 6' });
    expect(m.asked).toEqual([0, 1, 3, 6]);
  });

  it('never answers one key from another (a new decision or configuration is a new key)', async () => {
    const kept = keptEvaluations<string>({ maxAgeMs: 2 * MINUTE, keys: 4 });
    const m = measurements();
    const before = kept.get('log:1', at(0), m.measure);
    await m.answer(0);
    expect((await before).value).toBe('evaluation 0');
    const after = kept.get('log:2', at(1), m.measure);
    await m.answer(1);
    expect(await after).toEqual({ to: at(1).getTime(), value: 'evaluation 1' });
  });

  it('keeps no failed measurement: the viewer waiting gets the error, a viewer served the kept one is not told, the next tries again', async () => {
    const errors: unknown[] = [];
    const kept = keptEvaluations<string>({ maxAgeMs: 2 * MINUTE, keys: 4, onBackgroundError: (error) => errors.push(error) });
    const m = measurements();
    const waiting = expect(kept.get('k', at(0), m.measure)).rejects.toThrow('storage down');
    await m.fail(0);
    await waiting;
    const again = kept.get('k', at(0), m.measure);
    await m.answer(0);
    expect((await again).value).toBe('evaluation 0');

    expect((await kept.get('k', at(1), m.measure)).value).toBe('evaluation 0');
    await m.fail(1);
    expect(errors).toHaveLength(1);
    expect((await kept.get('k', at(1), m.measure)).value).toBe('evaluation 0');
    expect(m.asked).toEqual([0, 0, 1, 1]);
  });

  it('keeps at most `keys` questions, dropping the least recently asked', async () => {
    const kept = keptEvaluations<string>({ maxAgeMs: 2 * MINUTE, keys: 2 });
    const m = measurements();
    for (const key of ['a', 'b']) {
      const answer = kept.get(key, at(0), m.measure);
      await m.answer(0);
      await answer;
    }
    // 'a' asked again: 'b' is now the least recent, and 'c' pushes it out.
    await kept.get('a', at(0), m.measure);
    const c = kept.get('c', at(0), m.measure);
    await m.answer(0);
    await c;
    expect(m.asked).toEqual([0, 0, 0]);
    const b = kept.get('b', at(1), m.measure);
    await m.answer(1);
    // 'b' was measured afresh (nothing kept for it to serve); 'c' is still kept.
    expect((await b).to).toBe(at(1).getTime());
    expect((await kept.get('c', at(1), m.measure)).to).toBe(at(0).getTime());
  });

  it('prepares ahead of the viewer only when the kept one would be too old to serve at the next minute', async () => {
    const kept = keptEvaluations<string>({ maxAgeMs: 2 * MINUTE, keys: 4 });
    const m = measurements();

    // Nothing kept: measured (and a viewer of that minute is served it at once).
    const first = kept.prepare('k', at(0), m.measure);
    await m.answer(0);
    await first;
    expect(await kept.get('k', at(0), m.measure)).toEqual({ to: at(0).getTime(), value: 'evaluation 0' });

    // One minute on, the kept one is still servable next minute: nothing measured.
    await kept.prepare('k', at(1), m.measure);
    expect(m.asked).toEqual([0]);

    // Two minutes on it would not be: this minute's is measured, once however often it is prepared.
    const second = kept.prepare('k', at(2), m.measure);
    const again = kept.prepare('k', at(2), m.measure);
    expect(m.asked).toEqual([0, 2]);
    // Meanwhile a viewer is served the kept one (2 minutes old: the stated freshness) at once.
    expect((await kept.get('k', at(2), m.measure)).value).toBe('evaluation 0');
    await m.answer(2);
    await Promise.all([second, again]);
    expect(await kept.get('k', at(3), m.measure)).toEqual({ to: at(2).getTime(), value: 'evaluation 2' });
  });

  it('watches the questions asked within watchMs (asking again renews one), at most `max`, least recently asked first', () => {
    let clock = 0;
    const watched = watchedQuestions<string>({ watchMs: 15 * MINUTE, max: 3, now: () => clock });
    watched.ask('overview', 'trend 0');
    clock = 5 * MINUTE;
    watched.ask('page', 'trend 6');
    expect(watched.current()).toEqual(['trend 0', 'trend 6']);

    // The Overview's question is 15 minutes old: still watched; a moment later it is dropped.
    clock = 15 * MINUTE;
    expect(watched.current()).toEqual(['trend 0', 'trend 6']);
    clock = 15 * MINUTE + 1;
    expect(watched.current()).toEqual(['trend 6']);

    // Asked again: watched anew, now the most recently asked; a fourth question pushes out the oldest.
    watched.ask('overview', 'trend 0');
    watched.ask('segment', 'trend 6 by os');
    watched.ask('csv', 'trend 6 raw');
    expect(watched.current()).toEqual(['trend 0', 'trend 6 by os', 'trend 6 raw']);

    // Nobody looking for 15 minutes: nothing is watched, so nothing is measured.
    clock += 16 * MINUTE;
    expect(watched.current()).toEqual([]);
  });
});
