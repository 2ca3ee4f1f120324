/**
 * Pure logic of the Lookup page: which subject the URL names, the default wide window, and the
 * timeline grouping (the browser prompt and the server verification of one ceremony together).
 */
import type { EventRow } from '@/lib/contracts/events';
import { DAY_MS, MAX_WINDOW_DAYS } from '@/lib/domain/filters';

export const SUBJECT_TYPES = ['userId', 'credentialId', 'flowId', 'ceremonyId', 'traceId'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const SUBJECT_LABEL: Record<SubjectType, string> = {
  userId: 'user id',
  credentialId: 'credential id',
  flowId: 'flow id',
  ceremonyId: 'ceremony id',
  traceId: 'trace id',
};

export interface Subject {
  type: SubjectType;
  value: string;
}

/** The first subject parameter the URL sets with a non-blank value, in SUBJECT_TYPES order. */
export function subjectFromParams(params: Pick<URLSearchParams, 'get'>): Subject | null {
  for (const type of SUBJECT_TYPES) {
    const value = params.get(type)?.trim();
    if (value) return { type, value };
  }
  return null;
}

/** The Lookup URL of a subject, e.g. `/lookup?credentialId=abc`. */
export function lookupHref(type: SubjectType, value: string): string {
  return `/lookup?${new URLSearchParams({ [type]: value }).toString()}`;
}

/** Lookup's default window: the widest the API allows, ending now. */
export const LOOKUP_WINDOW_DAYS = MAX_WINDOW_DAYS;

/**
 * The window to query: the URL's from/to when set, else the last 400 days. Both ends are sent so
 * the server's own "now" (a few ms later) cannot stretch the window past the 400-day limit.
 */
export function lookupWindow(params: Pick<URLSearchParams, 'get'>, now: number): { from: string; to: string; days: number } {
  const to = params.get('to') ?? new Date(now).toISOString();
  const from = params.get('from') ?? new Date(Date.parse(to) - LOOKUP_WINDOW_DAYS * DAY_MS).toISOString();
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
  return { from, to, days: Number.isFinite(days) ? days : LOOKUP_WINDOW_DAYS };
}

export function emptyMessage(subject: Subject, days: number): string {
  return `No events for ${SUBJECT_LABEL[subject.type]} ${subject.value} in the last ${days} days`;
}

export interface TimelineEntry {
  /** The ceremony id shared by the events, or null for an event outside any ceremony. */
  ceremonyId: string | null;
  /** Newest first, as the API returned them. */
  events: EventRow[];
}

/**
 * Groups events (newest first) so that the events of one ceremony (same non-empty ceremonyId) form
 * one entry, placed where its newest event is; other events are entries of their own.
 */
export function groupTimeline(events: EventRow[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const byCeremony = new Map<string, TimelineEntry>();
  for (const event of events) {
    if (!event.ceremonyId) {
      entries.push({ ceremonyId: null, events: [event] });
      continue;
    }
    const existing = byCeremony.get(event.ceremonyId);
    if (existing) {
      existing.events.push(event);
    } else {
      const entry: TimelineEntry = { ceremonyId: event.ceremonyId, events: [event] };
      byCeremony.set(event.ceremonyId, entry);
      entries.push(entry);
    }
  }
  return entries;
}

/** What an event's outcome reads as: result and reason, prompt outcome, or the stage of a flow. */
export function eventOutcome(event: EventRow): string {
  const reason = event.failureReason || event.clientFailureReason || event.fallbackReason;
  const result =
    event.result || event.promptOutcome || event.recoveryStage || event.ticketStage || event.upsellOutcome || event.credentialAction;
  if (result && reason) return `${result} · ${reason}`;
  return result || reason || '—';
}

/** Which side of the ceremony an event is: the browser prompt or the server verification. */
export function eventSide(event: EventRow): 'browser' | 'server' | null {
  if (event.eventName === 'passkey.prompt') return 'browser';
  if (event.eventName === 'passkey.registration' || event.eventName === 'passkey.authentication') return 'server';
  return null;
}
