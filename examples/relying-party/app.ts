/**
 * The reference relying party as a library: `createRelyingParty(config)` builds the server (pages,
 * JSON API, telemetry proxy) around one in-memory store and one server-side telemetry instance.
 * `server.ts` runs it from the command line; the end-to-end tests run it in-process.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerTelemetry, type ServerTelemetry } from '@passkey-rollout/telemetry/server';
import { bundleClient } from './bundle';
import { ChallengeStore } from './challenges';
import { originOf, type RelyingPartyConfig } from './config';
import { rolloutVariant, type RelyingPartyContext } from './context';
import { HttpError, Router, sendJson, sendText } from './http';
import { accountRoutes } from './routes/accounts';
import { pageRoutes } from './routes/pages';
import { passkeyRoutes } from './routes/passkeys';
import { recoveryRoutes } from './routes/recovery';
import { telemetryProxyRoutes } from './routes/telemetry-proxy';
import { RelyingPartyStore } from './store';

export interface RelyingParty {
  /** Bundles the page scripts and listens; resolves with the page origin. */
  start(): Promise<string>;
  /** Stops listening and flushes the telemetry. */
  close(): Promise<void>;
  readonly origin: string;
  readonly store: RelyingPartyStore;
  readonly telemetry: ServerTelemetry;
}

export interface RelyingPartyOptions {
  /** Replace the server telemetry (tests); by default OTLP/protobuf to `${product}/v1/logs`. */
  telemetry?: ServerTelemetry;
  log?: (line: string) => void;
}

export function createRelyingParty(config: RelyingPartyConfig, options: RelyingPartyOptions = {}): RelyingParty {
  const log = options.log ?? ((line: string) => console.log(line));
  const telemetry =
    options.telemetry ??
    createServerTelemetry({
      endpoint: config.product,
      token: config.token,
      serviceName: config.serviceName,
      protocol: 'http/protobuf',
      common: { environment: config.environment, attributes: { 'feature_flag.result.variant': rolloutVariant(config) } },
    });
  let origin = config.origin ?? '';
  const rp: RelyingPartyContext = {
    config,
    origin: () => origin,
    store: new RelyingPartyStore(),
    challenges: new ChallengeStore(),
    telemetry,
  };
  // Filled at start by the bundler; the routes serve from it.
  const assets = new Map<string, string>();
  const router = new Router();
  if (config.browserTelemetry === 'proxy') telemetryProxyRoutes(router, rp);
  accountRoutes(router, rp);
  passkeyRoutes(router, rp);
  recoveryRoutes(router, rp);
  pageRoutes(router, rp, assets);
  const server = http.createServer((req, res) => void dispatch(req, res));

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relying-party.invalid');
    const match = router.match(req.method ?? 'GET', url.pathname);
    try {
      if (match === null) return sendText(res, 404, 'text/plain; charset=utf-8', 'Not found');
      if (match === 'method_not_allowed') throw new HttpError(405, `${req.method} is not allowed here`);
      await match.handler(req, res, match.params);
    } catch (error) {
      if (res.headersSent) return void res.end();
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message, ...error.body });
      log(
        `[relying-party] ${req.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendJson(res, 500, { error: 'Something went wrong on our side' });
    }
  }

  return {
    get origin() {
      return origin;
    },
    store: rp.store,
    telemetry,
    async start() {
      for (const [file, source] of await bundleClient()) assets.set(file, source);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      origin = originOf(config, (server.address() as AddressInfo).port);
      return origin;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await telemetry.shutdown();
    },
  };
}
