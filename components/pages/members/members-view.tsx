'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDateTime } from '@/components/kit/format';
import kit from '@/components/kit/kit.module.css';
import { Badge, PageGrid, PageHeader } from '@/components/kit/layout';
import { Panel, QueryPanel } from '@/components/kit/panel';
import { changeRole, inviteMember, membersKeys, membersQuery, removeMember, revokeInvitation, revokeSessions } from '@/lib/client/members';
import type { MembersResponse } from '@/lib/contracts/members';
import { ApiRequestError } from '@/lib/client/api';

type MemberRow = MembersResponse['members'][number];
type InvitationRow = MembersResponse['invitations'][number];

const STATE_TONE = { pending: 'warn', used: 'good', revoked: 'neutral', expired: 'neutral' } as const;

function errorText(error: unknown): string | null {
  if (!error) return null;
  return error instanceof ApiRequestError ? error.message : 'The change could not be made; try again.';
}

/** A single-use link, shown once, selected on focus for copying. */
function OneTimeLink({ testId, label, link, children }: { testId: string; label: string; link: string; children: ReactNode }) {
  return (
    <div data-testid={testId}>
      <p>{children}</p>
      <input readOnly value={link} style={{ width: '100%' }} aria-label={label} onFocus={(event) => event.target.select()} />
    </div>
  );
}

function InviteForm() {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<'viewer' | 'admin'>('viewer');
  const [note, setNote] = useState('');
  const mutation = useMutation({
    mutationFn: inviteMember,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersKeys.all }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ role, note: note.trim() || undefined });
  };
  return (
    <Panel
      testId="invite-form"
      span="half"
      title="Invite someone"
      subtitle="A single-use link; the person joins with a passkey of their own."
    >
      <form onSubmit={submit} style={{ display: 'grid', gap: 10 }}>
        <label>
          Role{' '}
          <select value={role} onChange={(event) => setRole(event.target.value as 'viewer' | 'admin')} name="role">
            <option value="viewer">viewer — reads every page</option>
            <option value="admin">admin — also decides, silences, erases and manages members</option>
          </select>
        </label>
        <label>
          Note (who it is for) <input value={note} onChange={(event) => setNote(event.target.value)} maxLength={200} name="note" />
        </label>
        <div>
          <button type="submit" className={kit.button} disabled={mutation.isPending}>
            Create invitation
          </button>
        </div>
        {mutation.data ? (
          <OneTimeLink testId="invitation-link" label="Invitation link" link={mutation.data.link}>
            Send this link to the person (shown once; it works once, until {formatDateTime(mutation.data.invitation.expiresAt)}). Code:{' '}
            {mutation.data.code}
          </OneTimeLink>
        ) : null}
        {errorText(mutation.error) ? <p role="alert">{errorText(mutation.error)}</p> : null}
      </form>
    </Panel>
  );
}

function MembersTable({ data }: { data: MembersResponse }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: membersKeys.all });
  const act = useMutation({ mutationFn: (run: () => Promise<unknown>) => run(), onSuccess: refresh });
  const addPasskey = useMutation({
    mutationFn: (row: MemberRow) => inviteMember({ role: row.role, memberId: row.id }).then((created) => ({ ...created, name: row.name })),
    onSuccess: refresh,
  });
  const columns: Array<Column<MemberRow>> = [
    {
      key: 'name',
      header: 'Member',
      value: (row) => row.name,
      render: (row) => (
        <>
          <strong>{row.name}</strong>
          {row.id === data.you ? ' (you)' : ''}
        </>
      ),
    },
    {
      key: 'role',
      header: 'Role',
      value: (row) => row.role,
      render: (row) => <Badge tone={row.role === 'admin' ? 'warn' : 'neutral'}>{row.role}</Badge>,
    },
    {
      key: 'passkeys',
      header: 'Passkeys',
      value: (row) => row.passkeys.length,
      render: (row) =>
        row.passkeys.map((p) => (
          <div key={p.id}>
            {p.deviceType === 'multiDevice' ? 'synced' : 'device-bound'} · added {formatDateTime(p.createdAt)}
            {p.lastUsedAt ? ` · last used ${formatDateTime(p.lastUsedAt)}` : ' · not used yet'}
          </div>
        )),
    },
    { key: 'sessions', header: 'Sessions', value: (row) => row.sessions, align: 'right' },
    { key: 'joined', header: 'Joined', value: (row) => row.createdAt, render: (row) => formatDateTime(row.createdAt) },
    {
      key: 'actions',
      header: '',
      sortable: false,
      value: () => null,
      render: (row) => (
        <span style={{ display: 'inline-flex', gap: 6 }}>
          <button
            type="button"
            className={kit.button}
            disabled={act.isPending}
            onClick={() => act.mutate(() => changeRole(row.id, row.role === 'admin' ? 'viewer' : 'admin'))}
          >
            Make {row.role === 'admin' ? 'viewer' : 'admin'}
          </button>
          <button type="button" className={kit.button} disabled={addPasskey.isPending} onClick={() => addPasskey.mutate(row)}>
            Add a passkey
          </button>
          <button
            type="button"
            className={kit.button}
            disabled={act.isPending || row.sessions === 0}
            onClick={() => act.mutate(() => revokeSessions(row.id))}
          >
            End sessions
          </button>
          <button
            type="button"
            className={kit.button}
            disabled={act.isPending}
            onClick={() => {
              if (window.confirm(`Remove ${row.name}? Their passkeys are deleted and they are signed out at once.`))
                act.mutate(() => removeMember(row.id));
            }}
          >
            Remove
          </button>
        </span>
      ),
    },
  ];
  return (
    <>
      <DataTable testId="members-table" rows={data.members} columns={columns} rowKey={(row) => row.id} />
      {addPasskey.data ? (
        <OneTimeLink testId="passkey-link" label="Passkey link" link={addPasskey.data.link}>
          Send this link to {addPasskey.data.name}: opened on another device, it adds a passkey to their account (once, until{' '}
          {formatDateTime(addPasskey.data.invitation.expiresAt)}).
        </OneTimeLink>
      ) : null}
      {errorText(act.error ?? addPasskey.error) ? <p role="alert">{errorText(act.error ?? addPasskey.error)}</p> : null}
    </>
  );
}

function InvitationsTable({ rows }: { rows: InvitationRow[] }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: revokeInvitation,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersKeys.all }),
  });
  const columns: Array<Column<InvitationRow>> = [
    { key: 'state', header: 'State', value: (row) => row.state, render: (row) => <Badge tone={STATE_TONE[row.state]}>{row.state}</Badge> },
    { key: 'role', header: 'Role', value: (row) => row.role },
    { key: 'note', header: 'For', value: (row) => row.note ?? (row.memberId ? 'a new passkey for an existing member' : '') },
    { key: 'by', header: 'Created by', value: (row) => row.createdBy },
    { key: 'created', header: 'Created', value: (row) => row.createdAt, render: (row) => formatDateTime(row.createdAt) },
    { key: 'expires', header: 'Expires', value: (row) => row.expiresAt, render: (row) => formatDateTime(row.expiresAt) },
    {
      key: 'revoke',
      header: '',
      sortable: false,
      value: () => null,
      render: (row) =>
        row.state === 'pending' ? (
          <button type="button" className={kit.button} disabled={revoke.isPending} onClick={() => revoke.mutate(row.id)}>
            Revoke
          </button>
        ) : null,
    },
  ];
  return <DataTable testId="invitations-table" rows={rows} columns={columns} rowKey={(row) => row.id} />;
}

/** Members, their passkeys and sessions, invitations: the administrators' page. */
export function MembersView() {
  const query = useQuery(membersQuery());
  return (
    <>
      <PageHeader title="Members" description="Who can sign in to this dashboard, with which passkeys, and the invitations made." />
      <PageGrid>
        {query.data && !query.data.signIn ? (
          <Panel testId="members-off" span="full" title="Sign-in is off">
            <p>
              This install has no dashboard sign-in: it serves this machine only (loopback). Set <code>PUBLIC_URL</code> to the
              dashboard&apos;s address to turn passkey sign-in on and invite people (docs/security.md, &ldquo;People&rdquo;).
            </p>
          </Panel>
        ) : (
          <>
            <QueryPanel
              testId="members"
              span="full"
              title="Members"
              subtitle="Removing a member or changing a role ends their sessions at once."
              query={query}
            >
              {(data) => <MembersTable data={data} />}
            </QueryPanel>
            <InviteForm />
            <QueryPanel
              testId="invitations"
              span="half"
              title="Invitations"
              subtitle="Each works once, until it expires or is revoked."
              query={query}
              isEmpty={(data) => data.invitations.length === 0}
              emptyMessage="No invitations yet."
            >
              {(data) => <InvitationsTable rows={data.invitations} />}
            </QueryPanel>
          </>
        )}
      </PageGrid>
    </>
  );
}
