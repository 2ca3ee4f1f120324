/**
 * The environment filter as the server applies it (DESIGN.md section 11): a request that names no
 * `environment` reads DEFAULT_ENVIRONMENT when it is configured, so staging never mixes into
 * production numbers; `environment=*` reads every environment. Server only (reads the process
 * configuration); every metric query's parameters (`windowFilterParams`) and every response's echo
 * (`windowEcho`) go through here, and so do the stage gates' measurements.
 */
import type { Filters } from '@/lib/api/params';
import { env } from '@/lib/env';

/** The configured DEFAULT_ENVIRONMENT, if any. */
export function defaultEnvironment(): string | undefined {
  return env().DEFAULT_ENVIRONMENT;
}

/**
 * The environments a request reads: those it names, `[]` (all) for `*`, else the configured
 * default, else `[]`.
 */
export function appliedEnvironments(filters: Pick<Filters, 'environment'>, fallback: string | undefined = defaultEnvironment()): string[] {
  if (filters.environment !== undefined) return [...filters.environment];
  return fallback ? [fallback] : [];
}
