/**
 * The browser half of the dashboard's passkey ceremonies (@simplewebauthn/browser): fetch options,
 * run the ceremony, send the result. Errors come back as sentences a person can act on.
 */
import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown> & { error?: { message?: string } };
  if (!response.ok) throw new Error(json.error?.message ?? `The server answered ${response.status}.`);
  return json;
}

function ceremonyMessage(error: unknown): string {
  if (error instanceof WebAuthnError && error.code === 'ERROR_CEREMONY_ABORTED') return 'The passkey request was cancelled.';
  if (error instanceof Error && error.name === 'NotAllowedError')
    return 'No passkey was used (the request was cancelled or timed out). Try again, or use another device.';
  if (error instanceof Error && error.name === 'InvalidStateError') return 'This authenticator already holds a passkey for this account.';
  return error instanceof Error ? error.message : 'Something went wrong; please try again.';
}

async function ceremony<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(ceremonyMessage(error));
  }
}

export async function signInWithPasskey(): Promise<void> {
  const { optionsJSON } = await post('/api/auth/sign-in/options', {});
  const response = await ceremony(() => startAuthentication({ optionsJSON: optionsJSON as never }));
  await post('/api/auth/sign-in/verify', { response });
}

export async function joinWithPasskey(code: string, name: string): Promise<void> {
  const { optionsJSON } = await post('/api/auth/join/options', { code, name });
  const response = await ceremony(() => startRegistration({ optionsJSON: optionsJSON as never }));
  await post('/api/auth/join/verify', { code, name, response });
}

/** Where to go after signing in: a same-site path from `?next=`, never another origin. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
