/**
 * The current stage-gate evaluation measured ahead of its viewers (GATE_REFRESH=on;
 * docs/stage-gates.md "How fresh"), in a private app: a viewer who asks for the Overview's question
 * two minutes after the last answer is served that minute's evaluation, measured in the background —
 * where, without the refresh, the kept answer of two minutes before would be served (the unit tests
 * of lib/stage-gates/kept-evaluations.ts cover those rules and the watch list).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StagesResponse } from '@/lib/contracts/stages';
import { isolatedApp } from '../helpers/isolated-app';

const MINUTE = 60_000;
const app = isolatedApp();

async function currentEvaluation(): Promise<StagesResponse> {
  const response = await fetch(`${app.baseUrl}/api/v1/stages?trend=0`);
  const body = await response.json();
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body as StagesResponse;
}

beforeAll(() => app.start({ GATE_REFRESH: 'on' }), 120_000);
afterAll(() => app.stop());

it('measures a watched question ahead of its viewer when the kept answer would be too old to serve', async () => {
  const first = Date.parse((await currentEvaluation()).evaluatedAt);
  // Two minutes on, the kept answer (of `first`) can be served this minute but not the next, so the
  // refresh (every 15 s) measures this minute's — on an empty store, well under a second. Ask 25 s
  // into that minute: without the refresh the kept answer of `first` would be served.
  const due = first + 2 * MINUTE;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due + 25_000 - Date.now())));
  const asked = Date.now();
  const second = await currentEvaluation();
  expect(Date.parse(second.evaluatedAt)).toBeGreaterThanOrEqual(due);
  expect(Date.parse(second.evaluatedAt)).toBe(Math.floor(asked / MINUTE) * MINUTE);
}, 240_000);
