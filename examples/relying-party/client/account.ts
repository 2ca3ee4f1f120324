/**
 * Account settings: the passkeys of the account (add one, remove one), backup codes, sign-out.
 * After a recovery, a banner offers a passkey for this device (surface `recovery`).
 */
import { api, ApiError, busy, element, leavePage, newFlowId, pageConfig, pageTelemetry, showStatus } from './common';
import { registerPasskey, reportFacts, type RegistrationSurface } from './passkeys';

interface AccountView {
  userId: string;
  username: string;
  backupCodesLeft: number;
  passkeys: {
    id: string;
    kind: 'synced' | 'device_bound';
    backedUp: boolean;
    transports: string[];
    createdAt: string;
    lastUsedAt: string | null;
  }[];
}

const telemetry = pageTelemetry(pageConfig());
void telemetry.reportCapabilities({ surface: 'account_settings' });

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

async function refresh(): Promise<void> {
  const view = await api<AccountView>('/api/account', undefined, 'GET');
  element('username').textContent = view.username;
  element('user-id').textContent = view.userId;
  element('backup-codes-left').textContent = String(view.backupCodesLeft);
  const rows = view.passkeys.map((passkey) => {
    const row = document.createElement('tr');
    row.dataset.credentialId = passkey.id;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.className = 'secondary';
    remove.addEventListener(
      'click',
      busy(remove, () => removePasskey(passkey.id)),
    );
    const action = document.createElement('td');
    action.append(remove);
    row.append(
      cell(passkey.kind === 'synced' ? 'Synced passkey' : 'Device-bound passkey'),
      cell(passkey.backedUp ? 'yes' : 'no'),
      cell(passkey.transports.join(', ') || '—'),
      cell(new Date(passkey.createdAt).toLocaleString()),
      cell(passkey.lastUsedAt ? new Date(passkey.lastUsedAt).toLocaleString() : 'never'),
      action,
    );
    return row;
  });
  element('passkeys').replaceChildren(...rows);
  element('no-passkeys').hidden = rows.length > 0;
}

async function removePasskey(credentialId: string): Promise<void> {
  try {
    await api(`/api/passkeys/${encodeURIComponent(credentialId)}`, undefined, 'DELETE');
    showStatus('Passkey removed from your account.', 'success', { outcome: 'deleted', credentialId });
  } catch (error) {
    showStatus(error instanceof ApiError ? error.message : 'Could not remove the passkey.', 'error');
  }
  await refresh();
}

async function addPasskey(surface: RegistrationSurface): Promise<void> {
  showStatus('Follow your browser’s prompt…', 'info');
  const report = await registerPasskey(telemetry, surface, newFlowId());
  if (report.outcome === 'success') {
    showStatus(report.message, 'success', reportFacts(report));
    element('recovered').hidden = true;
  } else if (report.outcome === 'failed') {
    showStatus(report.message, 'error', reportFacts(report));
  }
  await refresh();
}

const add = element<HTMLButtonElement>('add-passkey');
add.addEventListener(
  'click',
  busy(add, () => addPasskey('account_settings')),
);

const addAfterRecovery = element<HTMLButtonElement>('add-passkey-recovery');
addAfterRecovery.addEventListener(
  'click',
  busy(addAfterRecovery, () => addPasskey('recovery')),
);
if (new URLSearchParams(location.search).get('recovered') === '1') element('recovered').hidden = false;

const regenerate = element<HTMLButtonElement>('regenerate-codes');
regenerate.addEventListener(
  'click',
  busy(regenerate, async () => {
    const { backupCodes } = await api<{ backupCodes: string[] }>('/api/backup-codes', {});
    element('new-codes').textContent = backupCodes.join('  ');
    element('new-codes-panel').hidden = false;
    await refresh();
  }),
);

const signOut = element<HTMLButtonElement>('sign-out');
signOut.addEventListener(
  'click',
  busy(signOut, async () => {
    const { next } = await api<{ next: string }>('/api/signout', {});
    await leavePage(telemetry, next);
  }),
);

void refresh();
