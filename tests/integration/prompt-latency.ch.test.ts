/**
 * Prompt latency on /api/v1/signin: p50 / p95 of passkey.prompt.duration_ms by device class,
 * mediation and outcome, and over the prompts that were ceremonies, computed by hand
 * (interpolating between the closest ranks, as Excel's PERCENTILE.INC).
 */
import { describe, expect, inject, it } from 'vitest';
import type { SigninResponse } from '@/lib/contracts/signin';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const service = uid('latency-svc');

const prompt = (duration: number, device: string, mediation: string, outcome: Record<string, string>, offset: number): TestRecord => ({
  eventName: 'passkey.prompt',
  timeMs: Date.now() - 120_000 + offset,
  attributes: {
    'webauthn.ceremony.id': uid('cer'),
    'webauthn.ceremony.type': 'authentication',
    'webauthn.mediation': mediation,
    'passkey.prompt.duration_ms': duration,
    'device.class': device,
    ...outcome,
  },
});
const success = { 'passkey.prompt.outcome': 'success' };
/** Interpolation in floating point: equal to 1e-9. */
const close = (ms: number) => expect.closeTo(ms, 9);
const cancel = { 'passkey.prompt.outcome': 'error', 'webauthn.client.failure_reason': 'user_cancelled_or_timed_out' };

describe('prompt latency', () => {
  it('gives exact interpolated p50 / p95 per group, and overall over engaged prompts only', async () => {
    const records = [
      ...[100, 400, 200, 300].map((ms, i) => prompt(ms, 'mobile-ios', 'optional', success, i)),
      prompt(1000, 'desktop-windows', 'optional', cancel, 10),
      // background autofill nobody engaged with: its own row, not in the overall figure
      prompt(5000, 'desktop-windows', 'conditional', { 'passkey.prompt.outcome': 'abandoned' }, 11),
    ];
    const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
      'content-type': 'application/json',
      authorization: `Bearer ${inject('ingestToken')}`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});

    let latency: SigninResponse['promptLatency'] | undefined;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { status, body } = await getJson<SigninResponse>(baseUrl, `/api/v1/signin?service=${service}`);
      expect(status).toBe(200);
      latency = body.promptLatency;
      if (latency.overall.prompts === 5) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // engaged: 100 200 300 400 1000 → p50 300; p95 at rank 0.95 × 4 = 3.8 → 400 + 0.8 × 600 = 880
    expect(latency!.overall).toEqual({ prompts: 5, p50Ms: close(300), p95Ms: close(880) });
    expect(latency!.rows.map((row) => [row.deviceClass, row.mediation, row.outcome, row.prompts, row.p50Ms, row.p95Ms])).toEqual([
      // 100 200 300 400 → p50 250; p95 at rank 2.85 → 300 + 0.85 × 100 = 385
      ['mobile-ios', 'optional', 'success', 4, close(250), close(385)],
      ['desktop-windows', 'conditional', 'abandoned', 1, close(5000), close(5000)],
      ['desktop-windows', 'optional', 'error', 1, close(1000), close(1000)],
    ]);
  });
});
