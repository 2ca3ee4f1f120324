import { csvResponse } from '@/lib/api/csv-response';
import { defineRoute } from '@/lib/api/define-route';
import { zStagesQuery, zStagesResponse } from '@/lib/contracts/stages';
import { stagesCsvExport, stagesResponse } from '@/lib/stage-gates/stages-service';

export const dynamic = 'force-dynamic';

/** Stage-gate readiness: every transition judged as of `to` (default now), the blast radius and the decision log. */
export const GET = defineRoute({
  name: 'stages',
  path: '/api/v1/stages',
  summary: 'Stage-gate readiness: every transition judged as of `to`, the blast radius and the decision log.',
  parameters: {
    to: 'Evaluate as of this instant (ISO-8601 date-time, or a date = midnight UTC); default now, to the minute. A past evaluation is judged with the configuration in force now (`configUsed`, `configNote`).',
    trend: "How many previous windows each criterion's trend covers (0 = no trend, cheaper).",
    format:
      '`json` (default) or `csv`: the evaluation as a CSV export, one row per transition and criterion (and per segment value with `segment`).',
    segment:
      'Also judge every criterion per value of this dimension (`segments`: values seen in the longest criterion window, at most 12, each measured with the value as a filter, no trend). The transitions keep their overall verdicts.',
  },
  query: zStagesQuery,
  response: zStagesResponse,
  handler: async ({ query }) => {
    if (query.format !== 'csv') return stagesResponse(query);
    const csv = await stagesCsvExport(query);
    return csvResponse(csv.body, csv.fileName, csv.rows);
  },
});
