import { describe, expect, it } from 'vitest';
import { originOf, parseRelyingPartyConfig, RelyingPartyConfigError } from '@/examples/relying-party/config';

describe('reference RP configuration', () => {
  it('reads the documented flags and applies the defaults', () => {
    const config = parseRelyingPartyConfig(['--product', 'http://127.0.0.1:3000/', '--token', 'tok', '--port', '4000'], {});
    expect(config).toMatchObject({
      product: 'http://127.0.0.1:3000',
      token: 'tok',
      port: 4000,
      host: '127.0.0.1',
      rpId: 'localhost',
      browserTelemetry: 'proxy',
      stage: 2,
    });
    expect(originOf(config, 4000)).toBe('http://localhost:4000');
  });

  it('falls back to environment variables, and flags win over them', () => {
    const env = { RP_PRODUCT_URL: 'http://product:3000', RP_INGEST_TOKEN: 'from-env', RP_PORT: '4100', RP_BROWSER_TELEMETRY: 'direct' };
    expect(parseRelyingPartyConfig([], env)).toMatchObject({
      product: 'http://product:3000',
      token: 'from-env',
      port: 4100,
      browserTelemetry: 'direct',
    });
    expect(parseRelyingPartyConfig(['--token', 'from-flag'], env).token).toBe('from-flag');
  });

  it('an explicit origin wins over the derived one', () => {
    const config = parseRelyingPartyConfig(
      ['--product', 'http://p', '--token', 't', '--origin', 'https://rp.example.com', '--rp-id', 'rp.example.com'],
      {},
    );
    expect(originOf(config, 4000)).toBe('https://rp.example.com');
  });

  it.each([
    [['--token', 't'], /--product \(RP_PRODUCT_URL\): is required/],
    [['--product', 'http://p'], /--token \(RP_INGEST_TOKEN\): is required/],
    [['--product', 'ftp://p', '--token', 't'], /must be an http\(s\) URL/],
    [['--product', 'http://p', '--token', 't', '--rp-id', '127.0.0.1:4000'], /WebAuthn refuses IP addresses|domain name/],
    [['--product', 'http://p', '--token', 't', '--port', '70000'], /--port \(RP_PORT\)/],
    [['--product', 'http://p', '--token', 't', '--browser-telemetry', 'beacon'], /--browser-telemetry/],
    [['--product', 'http://p', '--token', 't', '--stage', '6'], /--stage/],
    [['--product', 'http://p', '--token', 't', '--unknown', 'x'], /Unknown option/],
  ])('refuses %j with a message naming the setting', (argv, message) => {
    expect(() => parseRelyingPartyConfig(argv, {})).toThrow(RelyingPartyConfigError);
    expect(() => parseRelyingPartyConfig(argv, {})).toThrow(message);
  });
});
