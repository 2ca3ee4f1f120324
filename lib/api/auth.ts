/**
 * API tokens. Without API_TOKENS the API is open (a local, single-operator install). With
 * API_TOKENS set, reads need one of API_TOKENS or ADMIN_TOKENS (Authorization: Bearer, or the
 * `pa_token` cookie the dashboard sets) and writes (stage decisions) need one of ADMIN_TOKENS.
 */
import { timingSafeEqual } from 'node:crypto';
import { env } from '../env';
import { ApiError } from './errors';

function presentedToken(request: Request): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim();
  if (bearer) return bearer;
  const cookie = request.headers.get('cookie') ?? '';
  const match = /(?:^|;\s*)pa_token=([^;]+)/.exec(cookie)?.[1];
  return match ? decodeURIComponent(match) : undefined;
}

function oneOf(token: string | undefined, allowed: readonly string[]): boolean {
  if (!token) return false;
  const presented = Buffer.from(token);
  return allowed.some((candidate) => {
    const expected = Buffer.from(candidate);
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

export type Access = 'read' | 'admin';

export function authorize(request: Request, access: Access): void {
  const { API_TOKENS, ADMIN_TOKENS } = env();
  const token = presentedToken(request);
  if (API_TOKENS.length === 0) return;
  if (access === 'admin' && oneOf(token, ADMIN_TOKENS)) return;
  if (!oneOf(token, [...API_TOKENS, ...ADMIN_TOKENS])) {
    throw new ApiError(401, 'unauthorized', 'An API token is required: send "Authorization: Bearer <token>" (API_TOKENS).', undefined, {
      'www-authenticate': 'Bearer',
    });
  }
  if (access === 'admin') throw new ApiError(403, 'forbidden', 'This action needs an admin token (one of ADMIN_TOKENS).');
}
