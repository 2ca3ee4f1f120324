/**
 * The audit log (docs/security.md "Audit log"): who signed in, invited, removed, exported, decided
 * and erased. Kept in the auth store (DATA_DIR/auth.sqlite) on every install, signed-in or open; an
 * entry's actor is `member:<name>`, `token:<name>`, `local` (an open install) or `system`.
 */
import 'server-only';
import { actorOf, type Principal } from '../api/auth';
import { dataDir, env } from '../env';
import { appendAudit, readAudit } from './audit-log';
import { authStore } from './store';

export type AuditAction =
  | 'sign_in'
  | 'sign_out'
  | 'invitation_created'
  | 'invitation_revoked'
  | 'invitation_used'
  | 'setup_code_issued'
  | 'member_removed'
  | 'member_role_changed'
  | 'sessions_revoked'
  | 'stage_decision'
  | 'erasure'
  | 'export'
  | 'alert_silence';

export function audit(by: Principal | string, action: AuditAction, target?: string | null, detail?: Record<string, unknown>): void {
  try {
    appendAudit(authStore(dataDir(env())), typeof by === 'string' ? by : actorOf(by), action, target, detail);
  } catch (error) {
    // The action itself happened; a failed audit write must be visible in the log, not undo it.
    console.error(`[audit] could not record ${action}: ${(error as Error).message}`);
  }
}

/** Entries newest first, as the API returns them. */
export function auditLog(options: { limit: number; before?: number; action?: string }) {
  return readAudit(authStore(dataDir(env())), options).map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() }));
}
