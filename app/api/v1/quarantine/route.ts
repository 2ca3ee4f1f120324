import { defineRoute } from '@/lib/api/define-route';
import { zQuarantineQuery, zQuarantineResponse } from '@/lib/contracts/quarantine';
import { quarantineResponse } from '@/lib/metrics/quarantine';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'quarantine',
  path: '/api/v1/quarantine',
  summary: 'Records ingest rejected (kept 14 days): by reason per day, by sending service, and the newest samples, redacted as stored.',
  parameters: {
    reason: 'Narrow to these rejection reasons (a comma-separated list).',
    service: 'Narrow to these sending services (resource `service.name`).',
    samples: 'How many of the newest rejected records to return (0–200, default 50).',
  },
  shared: true,
  query: zQuarantineQuery,
  response: zQuarantineResponse,
  handler: async ({ query }) => quarantineResponse(query),
});
