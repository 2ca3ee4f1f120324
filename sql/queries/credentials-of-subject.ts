/** Lookup: the state of a user's credentials, or of one credential, from its full history. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';

import { zCredentialState } from '@/lib/domain/event-rows';

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
