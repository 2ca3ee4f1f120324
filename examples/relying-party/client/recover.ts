/**
 * Account recovery: by a code sent by e-mail (simulated — the code is shown on this page as an
 * inbox) or by a saved backup code. The server reports `account.recovery` started → completed | failed.
 */
import { api, ApiError, element, leavePage, newFlowId, pageConfig, pageTelemetry, showStatus } from './common';

const telemetry = pageTelemetry(pageConfig());
const flowId = newFlowId();
void telemetry.reportCapabilities({ surface: 'recovery', flowId });

const start = element<HTMLFormElement>('recovery-start');
const complete = element<HTMLFormElement>('recovery-complete');

start.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(start);
  const method = String(data.get('method') ?? 'email_code');
  void api<{ inbox?: { code: string; note: string } }>('/api/recovery/start', {
    username: String(data.get('username') ?? ''),
    method,
    flowId,
  }).then(
    (answer) => {
      start.hidden = true;
      complete.hidden = false;
      element('code-label').textContent = method === 'email_code' ? 'Code from the e-mail' : 'One of your backup codes';
      if (answer.inbox) {
        element('inbox-code').textContent = answer.inbox.code;
        element('inbox-note').textContent = answer.inbox.note;
        element('inbox').hidden = false;
      }
      showStatus(method === 'email_code' ? 'If the account exists, we sent it a code.' : 'Enter one of your backup codes.', 'info');
    },
    (error: unknown) => showStatus(error instanceof ApiError ? error.message : 'Could not start the recovery.', 'error'),
  );
});

complete.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(complete);
  void api<{ next: string }>('/api/recovery/complete', { flowId, code: String(data.get('code') ?? '') }).then(
    (answer) => leavePage(telemetry, answer.next),
    (error: unknown) => showStatus(error instanceof ApiError ? error.message : 'Recovery failed.', 'error', { outcome: 'recovery_failed' }),
  );
});
