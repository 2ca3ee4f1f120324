/**
 * The shape of the sign-in endpoints under /api/auth (not /api/v1: they are how a person gets a
 * session, so they cannot require one). Each is a JSON POST from the dashboard's own pages:
 * sign-in must be on (404 otherwise), the request must name PUBLIC_URL's host (421) and be
 * same-origin JSON (the CSRF rule of lib/api/auth.ts), and its body is at most 64 KB.
 */
import 'server-only';
import type { z } from 'zod';
import { assertPublicHost, assertSameOrigin } from '../api/auth';
import { ApiError, errorResponse, unexpectedErrorResponse, zodErrorResponse } from '../api/errors';
import { signIn, type SignIn } from './sign-in';

const MAX_BODY_BYTES = 64 * 1024;

async function boundedJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, 'body_too_large', `A sign-in request is at most ${MAX_BODY_BYTES} bytes.`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError(413, 'body_too_large', `A sign-in request is at most ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw new ApiError(400, 'invalid_body', 'The request body must be a JSON document.');
  }
}

export function authRoute<B extends z.ZodType>(
  name: string,
  body: B,
  handler: (input: z.output<B>, auth: SignIn, request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const auth = signIn();
      if (!auth) return errorResponse(404, 'sign_in_not_configured', 'Dashboard sign-in is off on this install (PUBLIC_URL is not set).');
      assertPublicHost(request, auth.config);
      assertSameOrigin(request);
      const parsed = body.safeParse(await boundedJson(request));
      if (!parsed.success) return zodErrorResponse(parsed.error, 'body');
      return await handler(parsed.data, auth, request);
    } catch (error) {
      return unexpectedErrorResponse(error, name);
    }
  };
}
