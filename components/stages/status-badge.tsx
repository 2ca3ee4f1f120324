import { Badge } from '@/components/kit/layout';
import type { CriterionStatusValue, TransitionVerdictValue } from '@/lib/contracts/stages';
import { STATUS_LABEL, VERDICT_LABEL } from './prepare';

type Tone = 'good' | 'bad' | 'warn' | 'neutral';

const STATUS_TONE: Record<CriterionStatusValue, Tone> = { pass: 'good', fail: 'bad', inconclusive: 'warn', insufficient_data: 'neutral' };
const VERDICT_TONE: Record<TransitionVerdictValue, Tone> = {
  ready: 'good',
  not_ready: 'bad',
  inconclusive: 'warn',
  insufficient_data: 'neutral',
};

export function StatusBadge({ status }: { status: CriterionStatusValue }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>;
}

export function VerdictBadge({ verdict }: { verdict: TransitionVerdictValue }) {
  return (
    <span data-field="verdict" data-verdict={verdict}>
      <Badge tone={VERDICT_TONE[verdict]}>{VERDICT_LABEL[verdict]}</Badge>
    </span>
  );
}
