/** Sign-up with a password; the backup codes are shown once, then the post-sign-in upsell follows. */
import { api, ApiError, element, flushBeforeFollowing, pageConfig, pageTelemetry, showStatus } from './common';

const telemetry = pageTelemetry(pageConfig());
void telemetry.reportCapabilities({ surface: 'signup' });

const form = element<HTMLFormElement>('signup-form');
flushBeforeFollowing(telemetry, element<HTMLAnchorElement>('continue'));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  void api<{ userId: string; backupCodes: string[]; next: string }>('/api/signup', {
    username: String(data.get('username') ?? ''),
    password: String(data.get('password') ?? ''),
  }).then(
    (answer) => {
      form.hidden = true;
      const list = element<HTMLOListElement>('backup-codes');
      list.replaceChildren(
        ...answer.backupCodes.map((code) => {
          const item = document.createElement('li');
          item.textContent = code;
          return item;
        }),
      );
      element('backup-panel').hidden = false;
      element<HTMLAnchorElement>('continue').href = answer.next;
      showStatus('Account created.', 'success');
    },
    (error: unknown) => showStatus(error instanceof ApiError ? error.message : 'Sign-up failed.', 'error'),
  );
});
