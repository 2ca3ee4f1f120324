/**
 * Sign-in page: passkey autofill (conditional mediation) from page load, a "Sign in with a passkey"
 * button (modal), and the password form. A password sign-in after a failed or cancelled passkey
 * attempt in the same flow is reported by the server as `auth.fallback`.
 */
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill } from '@simplewebauthn/browser';
import { api, ApiError, busy, element, leavePage, markPage, newFlowId, pageConfig, pageTelemetry, showStatus } from './common';
import { fallbackReasonFor, type PasskeyAttempt } from './fallback';
import { reportFacts, signInWithPasskey, type CeremonyReport, type SignInSurface } from './passkeys';

const config = pageConfig();
const telemetry = pageTelemetry(config);
const flowId = newFlowId();
let lastAttempt: PasskeyAttempt | undefined;
markPage('flowId', flowId);

void telemetry.reportCapabilities({ flowId, surface: 'login_page' });

function settle(report: CeremonyReport, surface: SignInSurface): void {
  if (report.outcome === 'superseded') return;
  if (report.outcome === 'success') {
    showStatus(report.message, 'success', reportFacts(report));
    void leavePage(telemetry, report.next ?? '/account');
    return;
  }
  lastAttempt = report.attempt;
  // An autofill request that the browser ends is not something the user did: only remember it.
  if (surface === 'login_autofill' && report.attempt.stage === 'prompt') return;
  const advice = report.attempt.stage === 'prompt' ? ' You can try again or use your password.' : '';
  showStatus(`${report.message}${advice}`, 'error', reportFacts(report));
}

async function startAutofill(): Promise<void> {
  if (!(await browserSupportsWebAuthnAutofill())) return markPage('autofill', 'unsupported');
  const report = await signInWithPasskey(telemetry, 'login_autofill', flowId, () => markPage('autofill', 'waiting'));
  markPage('autofill', report.outcome);
  settle(report, 'login_autofill');
}

const passkeyButton = element<HTMLButtonElement>('passkey-sign-in');
if (!browserSupportsWebAuthn()) passkeyButton.hidden = true;
passkeyButton.addEventListener(
  'click',
  busy(passkeyButton, async () => {
    showStatus('Waiting for your passkey…', 'info');
    const report = await signInWithPasskey(telemetry, 'login_page', flowId);
    settle(report, 'login_page');
    // After a cancel, offer the autofill again; after a refused passkey, the way forward is the password.
    if (report.outcome === 'failed' && report.attempt.stage === 'prompt') void startAutofill();
  }),
);

const form = element<HTMLFormElement>('password-form');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  void api<{ next: string }>('/api/signin/password', {
    username: String(data.get('username') ?? ''),
    password: String(data.get('password') ?? ''),
    flowId,
    fallbackReason: fallbackReasonFor(lastAttempt),
  }).then(
    (answer) => leavePage(telemetry, answer.next),
    (error: unknown) => showStatus(error instanceof ApiError ? error.message : 'Sign-in failed.', 'error', { outcome: 'password_failed' }),
  );
});

void startAutofill();
