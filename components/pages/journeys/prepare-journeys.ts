/**
 * Pure logic of the Journeys page: readable names for the states of a path, durations, the flow
 * diagram's Sankey data and the Lookup link of a flow.
 */
import type { JourneyLink, JourneysResponse, TimeToSignIn } from '@/lib/contracts/journeys';
import type { JourneyKind } from '@/lib/domain/journeys';
import { DAY_MS, MAX_WINDOW_DAYS } from '@/lib/domain/filters';
import { lookupHref } from '@/components/pages/lookup/prepare-lookup';

export const KIND_OPTIONS: ReadonlyArray<{ value: JourneyKind; label: string }> = [
  { value: 'sign_in', label: 'Sign-in' },
  { value: 'registration', label: 'Registration' },
  { value: 'recovery', label: 'Recovery' },
];

/** The kind in a sentence: "No sign-in flows in this window". */
export const KIND_NOUN: Record<JourneyKind, string> = { sign_in: 'sign-in', registration: 'registration', recovery: 'recovery' };

/** Entries, steps and end states (docs/metrics.md, "Journeys") as people say them. */
const STATE_LABEL: Record<string, string> = {
  // entries
  autofill: 'Autofill',
  passkey_button: 'Passkey button',
  password_form: 'Password form',
  upsell: 'Upsell',
  after_recovery: 'After recovery',
  signup: 'Sign-up',
  account_settings: 'Account settings',
  other_surface: 'Other surface',
  // steps
  autofill_ok: 'Autofill ✓',
  autofill_error: 'Autofill error',
  autofill_cancelled: 'Autofill cancelled',
  prompt_ok: 'Prompt ✓',
  prompt_error: 'Prompt error',
  prompt_cancelled: 'Prompt cancelled',
  verified: 'Verified',
  rejected: 'Rejected by server',
  // end states
  passkey_success: 'Passkey success',
  fallback_success: 'Fallback success',
  failed: 'Failed',
  abandoned: 'Abandoned',
  in_progress: 'In progress',
};

const PREFIXES: ReadonlyArray<[string, string]> = [
  ['fallback_', 'Fallback: '],
  ['recovery_', 'Recovery: '],
  ['sign_in_', 'Sign-in '],
];

/** `autofill_ok` → "Autofill ✓", `fallback_sms_code` → "Fallback: sms code"; unknown states with underscores as spaces. */
export function stateLabel(state: string): string {
  const known = STATE_LABEL[state];
  if (known) return known;
  for (const [prefix, label] of PREFIXES) {
    if (state.startsWith(prefix) && state.length > prefix.length) return `${label}${state.slice(prefix.length).replaceAll('_', ' ')}`;
  }
  return state.replaceAll('_', ' ');
}

export const pathLabel = (path: readonly string[]) => path.map(stateLabel).join(' → ');

/** A link's key on the page and in `data-link`: its node ids, `0:autofill>1:autofill_ok`. */
export const linkKey = (link: Pick<JourneyLink, 'source' | 'target'>) => `${link.source}>${link.target}`;

export const linkLabel = (link: JourneyLink) => `${stateLabel(link.sourceState)} → ${stateLabel(link.targetState)}`;

const trim = (value: number) => value.toFixed(1).replace(/\.0$/, '');

/** 840 → "840 ms", 3400 → "3.4 s", 120000 → "2 min", 5400000 → "1.5 h", 2 days → "2 d". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${trim(ms / 1000)} s`;
  if (ms < 3_600_000) return `${ms < 600_000 ? trim(ms / 60_000) : Math.round(ms / 60_000)} min`;
  if (ms < 2 * DAY_MS) return `${trim(ms / 3_600_000)} h`;
  return `${trim(ms / DAY_MS)} d`;
}

/** What colour a node gets: its end state's tone, else the accent. */
export function nodeTone(state: string, role: 'entry' | 'step' | 'end'): string {
  if (role !== 'end') return role === 'entry' ? '#1d3fa8' : '#2453d6';
  if (state === 'passkey_success') return '#1a7f37';
  if (state === 'fallback_success') return '#b26a00';
  if (state === 'failed') return '#c62828';
  return '#6b7280';
}

export interface SankeyNodeDatum {
  name: string;
  id: string;
  state: string;
  role: 'entry' | 'step' | 'end';
  flows: number;
}

/** The response's nodes and links as Recharts' Sankey takes them (links by node index, sized by flows). */
export function toSankeyData(data: Pick<JourneysResponse, 'nodes' | 'links'>): {
  nodes: SankeyNodeDatum[];
  links: Array<{ source: number; target: number; value: number }>;
  refs: JourneyLink[];
} {
  const index = new Map(data.nodes.map((node, i) => [node.id, i]));
  const nodes = data.nodes.map((node) => ({
    name: stateLabel(node.state),
    id: node.id,
    state: node.state,
    role: node.role,
    flows: node.flows,
  }));
  const refs = data.links.filter(
    (link) => link.flows > 0 && index.has(link.source) && index.has(link.target) && link.source !== link.target,
  );
  const links = refs.map((link) => ({ source: index.get(link.source)!, target: index.get(link.target)!, value: link.flows }));
  return { nodes, links, refs };
}

/** The diagram's height: enough for the busiest column of nodes. */
export function sankeyHeight(data: Pick<JourneysResponse, 'nodes'>): number {
  const perColumn = new Map<string, number>();
  for (const node of data.nodes) {
    const column = node.depth === null ? 'end' : String(node.depth);
    perColumn.set(column, (perColumn.get(column) ?? 0) + 1);
  }
  const busiest = Math.max(1, ...perColumn.values());
  return Math.min(720, Math.max(280, 60 + busiest * 48));
}

/** Per method over every device class first (the API's order), then per device class. */
export function orderTimeToSignIn(rows: readonly TimeToSignIn[]): TimeToSignIn[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => Number(a.row.deviceClass !== null) - Number(b.row.deviceClass !== null) || a.i - b.i)
    .map(({ row }) => row);
}

/**
 * The Lookup URL of a flow. A window the page's URL names is kept, its end pushed out by the
 * kind's timeout so a flow that starts late in it shows every event (when Lookup allows the span).
 */
export function flowLookupHref(flowId: string, search: Pick<URLSearchParams, 'get'>, timeoutMinutes: number): string {
  const href = lookupHref('flowId', flowId);
  const from = search.get('from');
  const to = search.get('to');
  if (!from || !to) return href;
  const start = Date.parse(from);
  const end = Date.parse(to);
  const widened = end + timeoutMinutes * 60_000;
  const keepTo =
    Number.isFinite(start) && Number.isFinite(end) && widened - start <= MAX_WINDOW_DAYS * DAY_MS ? new Date(widened).toISOString() : to;
  return `${href}&${new URLSearchParams({ from, to: keepTo }).toString()}`;
}
