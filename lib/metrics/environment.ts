/**
 * The environment filter as the server applies it (DESIGN.md section 11): a request that names no
 * `environment` reads DEFAULT_ENVIRONMENT when it is configured, so staging never mixes into
 * production numbers; `environment=*` reads every environment. Server only (reads the process
 * configuration); the rule itself is `environmentsRead` (lib/domain/filters.ts), which every metric
 * query's parameters (`windowFilterParams`), every response's echo (`windowEcho`) and the stage
 * gates' measurements apply with this default.
 */
import 'server-only';
import { environmentsRead, type Filters } from '@/lib/domain/filters';
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
  return environmentsRead(filters, fallback);
}
