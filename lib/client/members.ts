/** TanStack `queryOptions` and writes for member management and the audit log (admin). */
import { queryOptions } from '@tanstack/react-query';
import { zAuditResponse, zInvitationCreated, zMemberChange, zMembersResponse, zRevoked } from '@/lib/contracts/members';
import { fetchApi, postApi, shouldRetry } from './api';

export const membersKeys = { all: ['members'] as const, audit: ['audit'] as const };

export const membersQuery = () =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    queryKey: membersKeys.all,
    queryFn: ({ signal }) => fetchApi('/api/v1/members', {}, zMembersResponse, { signal }),
  });

export const auditQuery = (action?: string) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    queryKey: [...membersKeys.audit, action ?? ''] as const,
    queryFn: ({ signal }) => fetchApi('/api/v1/audit', { limit: 500, action }, zAuditResponse, { signal }),
  });

export const inviteMember = (body: { role: 'viewer' | 'admin'; note?: string; memberId?: string }) =>
  postApi('/api/v1/members/invitations', body, zInvitationCreated);
export const revokeInvitation = (id: string) => postApi('/api/v1/members/invitations/revoke', { id }, zRevoked);
export const removeMember = (id: string) => postApi('/api/v1/members/remove', { id }, zMemberChange);
export const changeRole = (id: string, role: 'viewer' | 'admin') => postApi('/api/v1/members/role', { id, role }, zMemberChange);
export const revokeSessions = (id: string) => postApi('/api/v1/members/sessions/revoke', { id }, zMemberChange);
