/**
 * The rollout config as the running app uses it: loaded from ROLLOUT_CONFIG (or the default file),
 * validated, and kept until the file changes (so an edited config is picked up without a restart
 * and a broken edit is reported instead of silently keeping the old one). Server only.
 */
import 'server-only';
import { statSync } from 'node:fs';
import { loadRolloutConfig, resolveRolloutConfigPath, RolloutConfigError, type RolloutConfig } from './config';

export type RolloutConfigState = { ok: true; config: RolloutConfig; path: string } | { ok: false; error: RolloutConfigError; path: string };

const CACHE_KEY = Symbol.for('passkey-analytics.rollout-config');
type GlobalWithConfig = typeof globalThis & { [CACHE_KEY]?: { path: string; stamp: string; state: RolloutConfigState } };

function fileStamp(file: string): string {
  try {
    const stat = statSync(/*turbopackIgnore: true*/ file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

/** The current config, or the error that makes it unusable (never throws). */
export function rolloutConfigState(): RolloutConfigState {
  const file = resolveRolloutConfigPath();
  const stamp = fileStamp(file);
  const g = globalThis as GlobalWithConfig;
  const cached = g[CACHE_KEY];
  if (cached && cached.path === file && cached.stamp === stamp) return cached.state;
  let state: RolloutConfigState;
  try {
    state = { ok: true, config: loadRolloutConfig(file), path: file };
  } catch (error) {
    if (!(error instanceof RolloutConfigError)) throw error;
    state = { ok: false, error, path: file };
  }
  g[CACHE_KEY] = { path: file, stamp, state };
  return state;
}

/**
 * For the start-up announcement (lib/announce.ts): one line naming the config in use, or the
 * problems with their field paths (and the stage-gate API answering 503 config_invalid until fixed).
 */
export function announceRolloutConfig(log: (line: string) => void = console.log, error: (line: string) => void = console.error): boolean {
  const state = rolloutConfigState();
  if (state.ok) {
    log(`[stage-gates] rollout config ${state.path} (version ${state.config.version}, configured stage ${state.config.currentStage})`);
    return true;
  }
  error(`[stage-gates] ${state.error.message}`);
  error('[stage-gates] /api/v1/stages answers 503 config_invalid until the file is fixed (ROLLOUT_CONFIG, or unset it for the default).');
  return false;
}
