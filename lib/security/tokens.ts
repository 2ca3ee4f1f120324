/**
 * Machine tokens and their scopes (DESIGN.md section 10; docs/security.md "Tokens"):
 *
 *   INGEST_TOKENS          `ingest`          POST /v1/logs, every event
 *   INGEST_BROWSER_TOKENS  `ingest:browser`  POST /v1/logs, only the events a browser emits
 *   API_TOKENS             `read`            GET /api/v1
 *   ADMIN_TOKENS           `admin`           GET /api/v1 and every write
 *
 * An entry is `name:secret` or a bare secret (then named `token-` and the first 8 hex digits of
 * its SHA-256, so logs and records can name it without revealing it). Several entries per scope
 * let a token be rotated: add the new one, move the clients, remove the old one. The name is
 * recorded with what the token wrote (`ingest_token` on every event) or decided (a stage
 * decision's actor).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type Scope = 'ingest' | 'ingest:browser' | 'read' | 'admin';

export interface Token {
  readonly name: string;
  readonly scope: Scope;
  readonly secret: string;
}

const NAME = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(.*)$/;

/** The events a browser emits: all an `ingest:browser` token may send (DESIGN.md section 10). */
export const BROWSER_EVENTS: ReadonlySet<string> = new Set([
  'passkey.prompt',
  'passkey.client.capabilities',
  'passkey.upsell',
  'auth.fallback',
]);

export class TokenConfigError extends Error {}

/** The tokens of one scope from its configuration entries; throws on an empty secret or a name used twice. */
export function parseTokens(entries: readonly string[], scope: Scope, variable: string): Token[] {
  const tokens = entries.map((entry): Token => {
    const named = NAME.exec(entry);
    const secret = named ? named[2]! : entry;
    if (secret.trim() === '') throw new TokenConfigError(`${variable}: an entry has an empty secret`);
    return { name: named ? named[1]! : `token-${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`, scope, secret };
  });
  assertUniqueNames(tokens, variable);
  return tokens;
}

/** A name identifies what a token wrote or decided, so it names one token only. */
export function assertUniqueNames(tokens: readonly Token[], where: string): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token.name))
      throw new TokenConfigError(`${where}: the name '${token.name}' is used by two entries; give each token its own name`);
    seen.add(token.name);
  }
}

/** The secret of an `Authorization: Bearer …` header, if any. */
export function bearerSecret(request: Request): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim() || undefined;
}

/** The token whose secret was presented, compared in constant time; undefined when none matches. */
export function findToken(secret: string | undefined, tokens: readonly Token[]): Token | undefined {
  if (!secret) return undefined;
  const presented = Buffer.from(secret);
  let found: Token | undefined;
  for (const token of tokens) {
    const expected = Buffer.from(token.secret);
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) found ??= token;
  }
  return found;
}
