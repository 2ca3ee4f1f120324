/** The pure parts of the product's own telemetry (lib/self-telemetry.ts); the export itself: tests/integration/self-telemetry.ch.test.ts. */
import { describe, expect, it } from 'vitest';
import { metricsUrl, parseHeaders, pointsAtItself } from '@/lib/self-telemetry';

describe('self-telemetry configuration', () => {
  it('sends metrics to <endpoint>/v1/metrics, keeping a full metrics URL as given', () => {
    expect(metricsUrl('http://collector:4318')).toBe('http://collector:4318/v1/metrics');
    expect(metricsUrl('http://collector:4318/')).toBe('http://collector:4318/v1/metrics');
    expect(metricsUrl('https://otlp.example.com/v1/metrics')).toBe('https://otlp.example.com/v1/metrics');
  });

  it('reads headers as name=value pairs, URL-decoding values and skipping malformed pairs', () => {
    expect(parseHeaders('x-api-key=abc%3D%3D, dataset = prod ,broken,=nameless')).toEqual({ 'x-api-key': 'abc==', dataset: 'prod' });
    expect(parseHeaders(undefined)).toEqual({});
  });

  it('recognises an endpoint that is the product itself (its port on loopback or its HOST)', () => {
    const self = { HOST: '10.0.0.5', PORT: 3000 };
    expect(pointsAtItself('http://127.0.0.1:3000', self)).toBe(true);
    expect(pointsAtItself('http://localhost:3000/v1/metrics', self)).toBe(true);
    expect(pointsAtItself('http://[::1]:3000', self)).toBe(true);
    expect(pointsAtItself('http://10.0.0.5:3000', self)).toBe(true);
    expect(pointsAtItself('http://127.0.0.1:4318', self)).toBe(false);
    expect(pointsAtItself('http://collector:3000', self)).toBe(false);
    expect(pointsAtItself('https://10.0.0.5', { HOST: '10.0.0.5', PORT: 443 })).toBe(true);
  });
});
