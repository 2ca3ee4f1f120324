/** The audit log's table in the auth store: append, and read newest first (lib/auth/audit.ts uses it). */
import type { AuditEntry, Row } from './records';
import type { AuthStore } from './store';

export function appendAudit(
  store: AuthStore,
  actor: string,
  action: string,
  target?: string | null,
  detail?: Record<string, unknown>,
): void {
  store.db
    .prepare('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)')
    .run(store.now(), actor, action, target ?? null, detail ? JSON.stringify(detail) : null);
}

/** Entries newest first; `before` (a seq) pages back. */
export function readAudit(store: AuthStore, options: { limit: number; before?: number; action?: string }): AuditEntry[] {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (options.before !== undefined) {
    where.push('seq < ?');
    params.push(options.before);
  }
  if (options.action) {
    where.push('action = ?');
    params.push(options.action);
  }
  const rows = store.db
    .prepare(`SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`)
    .all(...params, options.limit) as Row[];
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: Number(row.at),
    actor: String(row.actor),
    action: String(row.action),
    target: row.target === null ? null : String(row.target),
    detail: row.detail === null ? null : (JSON.parse(String(row.detail)) as Record<string, unknown>),
  }));
}
