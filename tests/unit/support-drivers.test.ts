/** The pure parts of lib/metrics/support-drivers.ts: ranking with breakdowns, and the tickets CSV. */
import { describe, expect, it } from 'vitest';
import type { AttributedTicket } from '@/lib/contracts/support';
import { rankDrivers, ticketsCsv } from '@/lib/metrics/support-drivers';
import type { TicketDriverCountRow } from '@/sql/queries/support-ticket-drivers';

const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z') };
const row = (
  part: TicketDriverCountRow['part'],
  driver: string,
  tickets: number,
  extra: Partial<TicketDriverCountRow> = {},
): TicketDriverCountRow => ({
  part,
  period: 'current',
  driver,
  kind: driver.split(':')[0]!,
  reason: driver.split(':')[1] ?? '',
  category: '',
  channel: '',
  day: '',
  tickets,
  usersAffected: tickets,
  ...extra,
});

describe('rankDrivers', () => {
  const rows = [
    row('total', '', 5),
    row('total', '', 1, { period: 'previous' }),
    row('driver', 'authentication:user_not_verified', 3, { usersAffected: 2 }),
    row('driver', 'recovery:failed', 2),
    row('driver', 'registration:abandoned', 1, { period: 'previous' }),
    row('category', 'authentication:user_not_verified', 1, { category: 'billing' }),
    row('category', 'authentication:user_not_verified', 2, { category: 'sign_in_problem' }),
    row('channel', 'authentication:user_not_verified', 3, { channel: 'email' }),
    row('day', 'authentication:user_not_verified', 2, { day: '2026-11-01' }),
    row('day', 'authentication:user_not_verified', 1, { day: '2026-11-03' }),
    // the previous period's breakdowns are not W's
    row('category', 'registration:abandoned', 1, { period: 'previous', category: 'other' }),
  ];

  it('ranks by tickets and keeps drivers seen only in the previous period last', () => {
    const drivers = rankDrivers(rows, window);
    expect(drivers.map((d) => [d.driver, d.tickets, d.usersAffected, d.share, d.previousTickets])).toEqual([
      ['authentication:user_not_verified', 3, 2, 0.6, 0],
      ['recovery:failed', 2, 2, 0.4, 0],
      ['registration:abandoned', 0, 0, 0, 1],
    ]);
  });

  it('gives each driver its categories and channels, most tickets first, and every day of the window', () => {
    const [first, , last] = rankDrivers(rows, window);
    expect(first!.categories).toEqual([
      { category: 'sign_in_problem', tickets: 2 },
      { category: 'billing', tickets: 1 },
    ]);
    expect(first!.channels).toEqual([{ channel: 'email', tickets: 3 }]);
    expect(first!.daily).toEqual([
      { day: '2026-11-01', tickets: 2 },
      { day: '2026-11-02', tickets: 0 },
      { day: '2026-11-03', tickets: 1 },
    ]);
    expect([last!.categories, last!.daily.every((d) => d.tickets === 0)]).toEqual([[], true]);
  });
});

describe('ticketsCsv', () => {
  const ticket: AttributedTicket = {
    ticketId: '=TK 1',
    userId: 'u1',
    openedAt: '2026-11-02T10:00:00.000Z',
    category: 'sign_in_problem',
    channel: 'email',
    driver: 'authentication:user_not_verified',
    ceremonyId: 'cer_1',
    recoveryFlowId: null,
    attributedAt: '2026-11-02T09:00:00.000Z',
    deviceClass: 'mobile-ios',
    credentialId: null,
  };

  it('links each ticket to the help desk and neutralises formula-like cells unless raw', () => {
    const csv = ticketsCsv([ticket], 'https://desk.example.com/t/{ticketId}', false);
    expect(csv.split('\r\n')).toEqual([
      'ticket_id,opened_at,user_id,category,channel,driver,ceremony_id,recovery_flow_id,attributed_at,device_class,credential_id,ticket_url',
      "'=TK 1,2026-11-02T10:00:00.000Z,u1,sign_in_problem,email,authentication:user_not_verified,cer_1,,2026-11-02T09:00:00.000Z,mobile-ios,,https://desk.example.com/t/%3DTK%201",
      '',
    ]);
    expect(ticketsCsv([ticket], null, true).split('\r\n')[1]!.startsWith('=TK 1,')).toBe(true);
    expect(ticketsCsv([ticket], null, true).split('\r\n')[1]!.endsWith(',')).toBe(true);
  });
});
