/** Lookup: the state of a user's credentials, or of one credential, from its full history. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';

export const zCredentialState = z.object({
  credentialId: z.string(),
  userId: z.string(),
  registeredAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  deleted: z.boolean(),
  deviceClass: z.string().nullable(),
  osName: z.string().nullable(),
  credentialKind: z.string().nullable(),
  backedUp: z.boolean().nullable(),
  providerName: z.string().nullable(),
  providerKind: z.string().nullable(),
  aaguid: z.string().nullable(),
  attestationFormat: z.string().nullable(),
  authenticatorAttachment: z.string().nullable(),
});
export type CredentialState = z.infer<typeof zCredentialState>;

export const credentialsOfSubject = defineQuery({
  name: 'credentials-of-subject',
  params: z.object({ userId: z.string(), credentialId: z.string() }),
  row: zCredentialState,
  sql: /* sql */ `
    SELECT
      credential_id AS credentialId,
      any(user_id) AS userId,
      min(registered_at) AS registeredAt,
      min(deleted_at) AS deletedAt,
      max(last_used_at) AS lastUsedAt,
      toBool(deletedAt IS NOT NULL) AS deleted,
      any(device_class) AS deviceClass,
      any(os_name) AS osName,
      any(credential_kind) AS credentialKind,
      any(backed_up) AS backedUp,
      any(provider_name) AS providerName,
      any(provider_kind) AS providerKind,
      any(aaguid) AS aaguid,
      any(attestation_format) AS attestationFormat,
      any(authenticator_attachment) AS authenticatorAttachment
    FROM credentials
    WHERE ({userId:String} != '' OR {credentialId:String} != '')
      AND ({userId:String} = '' OR user_id = {userId:String})
      AND ({credentialId:String} = '' OR credential_id = {credentialId:String})
    GROUP BY credential_id
    ORDER BY registeredAt DESC NULLS LAST, credentialId
    LIMIT 200
  `,
});
