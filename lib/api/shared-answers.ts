/**
 * Shared answers: a read asked again — the same route, the same query — while an identical read is
 * under way, or just after it, is answered by that read instead of computing it again, as long as
 * the data has not changed since that read began: no ingest insert has settled and no write has been
 * answered in this process since (lib/data-changes.ts), and it began at most SHARED_ANSWER_MS ago.
 * Several people opening the same dashboard view at once (a preset window ends at the next whole
 * minute, so their questions are identical) then cost one computation, and a refresh during a slow
 * read joins it instead of queueing a second.
 *
 * So a shared answer holds every event acknowledged and every write answered by this process before
 * the request it answers, as a fresh one would. What it can miss: changes made meanwhile by another
 * process (another app instance, `npm run erase`) and background work that is not a write through
 * the API (an alert evaluation, the stage-gate history pass) — at most SHARED_ANSWER_MS of them.
 * The response says it was shared (`x-served-from: shared-answer`, `x-answer-began` with the instant
 * the read began); a request with `Cache-Control: no-cache` is always computed afresh. defineRoute
 * shares the answers of a GET route that says `shared: true` (one whose answer depends only on the
 * stored data and the API's writes: not the stage-gate evaluations, which read a configuration file
 * and keep their own, nor alerts, members or the audit log). Each request receives its own clone
 * of the response; at most SHARED_ANSWERS_KEPT are kept (the oldest go first). The state lives on
 * globalThis: Next.js loads every route in a bundle of its own.
 */
import 'server-only';
import { dataVersion } from '../data-changes';
import { EARLY_READ_HEADER } from './early-reads';

export const SHARED_ANSWER_MS = 5_000;
export const SHARED_ANSWERS_KEPT = 64;
/** Marks an answer computed for an earlier identical request (the header early reads set too). */
export const SHARED_ANSWER_HEADER = EARLY_READ_HEADER;
/** When the shared read began (ISO 8601). */
export const ANSWER_BEGAN_HEADER = 'x-answer-began';

interface SharedAnswer {
  answer: Promise<Response>;
  began: number;
  /** dataVersion() when it began. */
  version: number;
}

const KEY = Symbol.for('passkey-analytics.shared-answers');
type GlobalWithSharedAnswers = typeof globalThis & { [KEY]?: Map<string, SharedAnswer> };

function kept(): Map<string, SharedAnswer> {
  const g = globalThis as GlobalWithSharedAnswers;
  return (g[KEY] ??= new Map());
}

/** The question a request asks: its path and query parameters in a canonical order (not the host). */
export function questionOf(url: string): string {
  const { pathname, searchParams } = new URL(url);
  const params = [...searchParams].sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
  return `${pathname}?${new URLSearchParams(params).toString()}`;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `Cache-Control: no-cache` (or `no-store`) on the request: the caller wants an answer computed for it. */
export function asksFresh(request: Request): boolean {
  return /\bno-(cache|store)\b/i.test(request.headers.get('cache-control') ?? '');
}

const isJson = (response: Response) => (response.headers.get('content-type') ?? '').startsWith('application/json');

/** Drops the answers that can no longer be shared, then the oldest beyond SHARED_ANSWERS_KEPT. */
function sweep(answers: Map<string, SharedAnswer>, now: number, version: number): void {
  for (const [question, shared] of answers) {
    if (shared.version !== version || now - shared.began > SHARED_ANSWER_MS) answers.delete(question);
  }
  // Map keeps insertion order: the first keys are the oldest.
  for (const question of answers.keys()) {
    if (answers.size <= SHARED_ANSWERS_KEPT) break;
    answers.delete(question);
  }
}

/**
 * The answer to `question`: that of an identical read begun at most SHARED_ANSWER_MS ago with the
 * data as it is now, or `compute()`'s, kept for the requests that follow.
 */
export async function sharedAnswer(question: string, compute: () => Promise<Response>, now = Date.now()): Promise<Response> {
  const answers = kept();
  const version = dataVersion();
  sweep(answers, now, version);
  const earlier = answers.get(question);
  if (earlier) {
    const response = (await earlier.answer).clone();
    response.headers.set(SHARED_ANSWER_HEADER, 'shared-answer');
    response.headers.set(ANSWER_BEGAN_HEADER, new Date(earlier.began).toISOString());
    return response;
  }
  const shared: SharedAnswer = { answer: compute(), began: now, version };
  answers.set(question, shared);
  const forget = () => {
    if (answers.get(question) === shared) answers.delete(question);
  };
  // Only a JSON success is kept for later requests: a failure is met afresh, and an export (CSV, up
  // to 100,000 rows) is not held in memory for others (those already waiting still receive it).
  shared.answer.then((response) => (response.ok && isJson(response) ? undefined : forget()), forget);
  // The kept response itself is never read, so it can be cloned for every request, this one included.
  return (await shared.answer).clone();
}
