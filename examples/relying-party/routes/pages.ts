/**
 * The HTML pages and their scripts. Pages are static templates; the server embeds the page
 * configuration as inert JSON (never executed, so the CSP allows scripts from this origin only).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGES, type PageConfig, type PageName } from '../client/page-config';
import { currentSession, rolloutVariant, upsellDue, type RelyingPartyContext } from '../context';
import { redirect, sendText, type Router } from '../http';

const PUBLIC_DIR = path.join(import.meta.dirname, '..', 'public');
const CONFIG_SLOT = '<!-- rp:config -->';

export function loadTemplates(): Map<PageName, string> {
  const templates = new Map<PageName, string>();
  for (const page of PAGES) {
    const html = fs.readFileSync(path.join(PUBLIC_DIR, `${page}.html`), 'utf8');
    if (!html.includes(CONFIG_SLOT)) throw new Error(`public/${page}.html lacks the ${CONFIG_SLOT} slot`);
    templates.set(page, html);
  }
  return templates;
}

/** JSON safe inside a <script> element: no `</script>`, no HTML comment openers. */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self'${connectSources.map((source) => ` ${source}`).join('')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function pageRoutes(router: Router, rp: RelyingPartyContext, assets: ReadonlyMap<string, string>): void {
  const templates = loadTemplates();
  const stylesheet = fs.readFileSync(path.join(PUBLIC_DIR, 'style.css'), 'utf8');
  const direct = rp.config.browserTelemetry === 'direct';
  const csp = contentSecurityPolicy(direct ? [new URL(rp.config.product).origin] : []);

  function render(req: IncomingMessage, res: ServerResponse, page: PageName): void {
    const current = currentSession(rp, req);
    const config: PageConfig = {
      page,
      telemetry: {
        endpoint: direct ? rp.config.product : rp.origin(),
        token: direct ? rp.config.token : undefined,
        serviceName: `${rp.config.serviceName}-web`,
        environment: rp.config.environment,
        rolloutVariant: rolloutVariant(rp.config),
      },
      user: current ? { userId: current.account.id, sessionId: current.session.telemetrySessionId } : undefined,
    };
    const html = (templates.get(page) as string).replace(
      CONFIG_SLOT,
      `<script id="rp-config" type="application/json">${inertJson(config)}</script>`,
    );
    sendText(res, 200, 'text/html; charset=utf-8', html, { 'content-security-policy': csp });
  }

  router.on('GET', '/', (req, res) => (currentSession(rp, req) ? redirect(res, '/account') : render(req, res, 'home')));
  router.on('GET', '/login', (req, res) => (currentSession(rp, req) ? redirect(res, '/account') : render(req, res, 'login')));
  router.on('GET', '/signup', (req, res) => (currentSession(rp, req) ? redirect(res, '/account') : render(req, res, 'signup')));
  router.on('GET', '/recover', (req, res) => render(req, res, 'recover'));
  router.on('GET', '/account', (req, res) => (currentSession(rp, req) ? render(req, res, 'account') : redirect(res, '/login')));
  router.on('GET', '/welcome', (req, res) => {
    const current = currentSession(rp, req);
    if (!current) return redirect(res, '/login');
    if (!upsellDue(rp, current.account)) return redirect(res, '/account');
    render(req, res, 'welcome');
  });

  router.on('GET', '/assets/:file', (req, res, params) => {
    const file = params.file ?? '';
    if (file === 'style.css') return sendText(res, 200, 'text/css; charset=utf-8', stylesheet);
    const script = assets.get(file);
    if (script === undefined) return sendText(res, 404, 'text/plain; charset=utf-8', 'Not found');
    sendText(res, 200, 'text/javascript; charset=utf-8', script);
  });
}
