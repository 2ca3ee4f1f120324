/**
 * Readiness: migrations run once per process at start (instrumentation.ts) and every storage user
 * awaits the same promise. A failed start is retried on the next request instead of leaving the
 * process wedged, so a ClickHouse server that comes up late is picked up without a restart.
 * Once migrated, the process keeps the ceremony state up to date (lib/ceremony-states.ts).
 */
import 'server-only';
import { ensureDatabase, storage } from './clickhouse';
import { env } from './env';
import { SERVER_MARGIN_MS, startCeremonyStatePasses } from './ceremony-states';
import { migrate } from './migrate';
import { startErasureRefresh } from './privacy/erasure';
import { applyRetention } from './data-retention';
import { startAlertEvaluations } from './alerts/evaluator';
import { startGateHistoryPasses } from './stage-gates/history-pass';
import { startCurrentEvaluationRefresh } from './stage-gates/stages-service';
import { signIn } from './auth/sign-in';
import { setupCodeAtStart, setupCodeMessage } from './auth/setup-code';

const READY_KEY = Symbol.for('passkey-analytics.ready');
type GlobalWithReady = typeof globalThis & { [READY_KEY]?: Promise<void> };

export function ensureReady(): Promise<void> {
  const g = globalThis as GlobalWithReady;
  if (!g[READY_KEY]) {
    const attempt = (async () => {
      await ensureDatabase();
      const store = storage();
      const report = await migrate(store);
      if (report.applied.length > 0)
        console.log(`[storage] ${store.mode} ClickHouse at ${store.location}: applied ${report.applied.join(', ')}`);
      for (const name of report.changedSinceApplied)
        console.warn(`[storage] migration ${name} changed after it was applied; it is not re-run`);
      // RETENTION_DAYS: the TTLs of the tables holding users' data (lib/data-retention.ts; docs/security.md "Retention").
      for (const change of await applyRetention(store.client, env().RETENTION_DAYS, store.cluster))
        console.log(`[storage] retention of ${change.table}: ${change.ttl ? `TTL ${change.ttl}` : 'kept indefinitely (TTL removed)'}`);
      // Passkey sign-in (PUBLIC_URL): the first administrator's way in, while there is none.
      const auth = signIn();
      const setup = auth ? setupCodeAtStart(auth) : undefined;
      if (setup) console.log(setupCodeMessage(setup));
      // Before any record is accepted: the erased users whose old records ingest must refuse.
      await startErasureRefresh(() => storage().client);
      // Only this process writes to an embedded store; a server may have other writers.
      if (env().STATE_PASSES === 'on')
        startCeremonyStatePasses(() => storage().stateClient, { marginMs: store.mode === 'embedded' ? 0 : SERVER_MARGIN_MS });
      // Alert rules on a schedule; with several instances, one of them evaluates (a lease; docs/alerts.md).
      if (env().ALERTS === 'on') startAlertEvaluations();
      // The stored daily stage-gate evaluations (docs/stage-gates.md, "History"): one writer per store as well.
      if (env().GATE_HISTORY === 'on') startGateHistoryPasses();
      // The current stage-gate evaluations viewers ask, measured ahead of them (docs/stage-gates.md, "How fresh").
      if (env().GATE_REFRESH === 'on') startCurrentEvaluationRefresh();
    })();
    g[READY_KEY] = attempt;
    attempt.catch(() => {
      if (g[READY_KEY] === attempt) g[READY_KEY] = undefined;
    });
  }
  return g[READY_KEY];
}
