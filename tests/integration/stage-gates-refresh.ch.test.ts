/**
 * The current stage-gate evaluation measured ahead of its viewers (GATE_REFRESH=on;
 * docs/stage-gates.md "How fresh"), in a private app: a viewer who asks for the Overview's question
 * at a new minute is answered with that minute's evaluation, measured in the background — where,
 * without the refresh, the kept answer of the minute before would be served (the unit tests of
 * lib/stage-gates/kept-evaluations.ts cover that rule and the watch list).
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

it('serves a watched question at a new minute with that minute’s evaluation, measured before the viewer asked', async () => {
  const first = Date.parse((await currentEvaluation()).evaluatedAt);
  // Ask again 25 s into the next minute: the refresh ticks every 15 s and measures the new minute
  // (an empty store: well under a second). Without it the kept answer of `first` would be served.
  const next = first + MINUTE;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, next + 25_000 - Date.now())));
  const asked = Date.now();
  const second = await currentEvaluation();
  expect(Date.parse(second.evaluatedAt)).toBeGreaterThanOrEqual(next);
  expect(Date.parse(second.evaluatedAt)).toBe(Math.floor(asked / MINUTE) * MINUTE);
}, 180_000);
