'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDateTime } from '@/components/kit/format';
import { PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import { auditQuery } from '@/lib/client/members';
import type { AuditResponse } from '@/lib/contracts/members';

type Entry = AuditResponse['entries'][number];

const ACTIONS = [
  'sign_in',
  'sign_out',
  'invitation_created',
  'invitation_revoked',
  'invitation_used',
  'setup_code_issued',
  'member_removed',
  'member_role_changed',
  'sessions_revoked',
  'stage_decision',
  'alert_silence',
  'erasure',
  'export',
];

const detailText = (detail: Entry['detail']) =>
  detail
    ? Object.entries(detail)
        .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
        .join(' · ')
    : '';

/** The audit log: who did what, newest first. */
export function AuditView() {
  const [action, setAction] = useState('');
  const query = useQuery(auditQuery(action || undefined));
  const columns: Array<Column<Entry>> = [
    { key: 'at', header: 'When', value: (row) => row.at, render: (row) => formatDateTime(row.at) },
    { key: 'actor', header: 'Who', value: (row) => row.actor },
    { key: 'action', header: 'What', value: (row) => row.action },
    { key: 'target', header: 'On', value: (row) => row.target },
    { key: 'detail', header: 'Detail', sortable: false, value: (row) => detailText(row.detail) },
  ];
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, invitations, member changes, exports, stage decisions, alert silences and erasures."
      />
      <PageGrid>
        <QueryPanel
          testId="audit-log"
          span="full"
          title="Entries"
          subtitle="Newest first, the latest 500."
          actions={
            <label>
              Action{' '}
              <select value={action} onChange={(event) => setAction(event.target.value)} name="action">
                <option value="">all</option>
                {ACTIONS.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          }
          query={query}
          isEmpty={(data) => data.entries.length === 0}
          emptyMessage="Nothing recorded yet."
        >
          {(data) => <DataTable testId="audit-table" rows={data.entries} columns={columns} rowKey={(row) => String(row.seq)} />}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
