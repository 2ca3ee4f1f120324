/** Support tickets a simulated user opens after something went wrong: opened, sometimes updated, usually resolved. */
import { DAY, HOUR, MINUTE, type Journey } from './journey';
import type { Weighted } from './random';

const TICKET_CHANNELS: Weighted<string> = [
  ['email', 0.4],
  ['chat', 0.35],
  ['phone', 0.15],
  ['web_form', 0.1],
];

/** With `probability`, a ticket of `category` some time after a failure. */
export function maybeTicket(j: Journey, afterFailure: number, category: string, probability: number): void {
  if (!j.rng.chance(probability)) return;
  // Most tickets follow the failure within hours; some come days later.
  const delay = j.rng.chance(0.94) ? Math.min(j.rng.exponential(9 * HOUR), 70 * HOUR) : j.rng.between(3.5, 10) * DAY;
  ticket(j, afterFailure + Math.max(5 * MINUTE, delay), category);
}

function ticket(j: Journey, openedAt: number, category: string): void {
  j.ticketSeq += 1;
  const ticketId = `tkt_${j.profile.index + 1}_${j.ticketSeq}`;
  const channel = j.rng.weighted(TICKET_CHANNELS);
  const device = j.primaryDevice(openedAt);
  const push = (stage: 'opened' | 'updated' | 'resolved', at: number) =>
    j.events.push({ kind: 'ticket', source: 'api', ctx: j.userCtx(device, at), event: { ticketId, stage, category, channel } });
  push('opened', openedAt);
  let at = openedAt;
  if (j.rng.chance(0.55)) push('updated', (at += j.rng.between(2, 30) * HOUR));
  if (j.rng.chance(0.8)) push('resolved', at + j.rng.between(0.5, 5) * DAY);
}
