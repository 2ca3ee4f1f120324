'use client';

import { useIsFetching, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useAccount } from '@/components/kit/account';
import kit from '@/components/kit/kit.module.css';
import { Panel } from '@/components/kit/panel';
import {
  DECISION_ACTIONS,
  MAX_ACTOR_LENGTH,
  MAX_REASON_LENGTH,
  type DecisionAction,
  type StageDecision,
  type StageSummary,
} from '@/lib/contracts/stages';
import { ApiRequestError } from '@/lib/client/api';
import { recordStageDecision, stagesKeys } from '@/lib/client/stages';
import { ACTION_LABEL, decisionStages } from './prepare';
import styles from './stages.module.css';

/** Record advance / hold / roll back; the page refreshes with the new current stage. */
export function DecisionForm({
  currentStage,
  stages,
  evaluatedAt,
  onRecorded,
}: {
  currentStage: number;
  stages: StageSummary[];
  /** The evaluation shown: recorded with the decision as its evidence snapshot. */
  evaluatedAt: string;
  /** A decision just recorded (the POST's answer): the page shows it in the log at once. */
  onRecorded: (decision: StageDecision) => void;
}) {
  const queryClient = useQueryClient();
  const [action, setAction] = useState<DecisionAction>('hold');
  const [rollBackTo, setRollBackTo] = useState<number | null>(null);
  const account = useAccount();
  const [actor, setActor] = useState('');
  const [reason, setReason] = useState('');
  const options = decisionStages(action, currentStage);
  const stage = action === 'roll_back' ? (rollBackTo !== null && options.includes(rollBackTo) ? rollBackTo : options[0]) : options[0];
  const name = (id: number) => `${id} · ${stages.find((entry) => entry.id === id)?.name ?? ''}`;

  const mutation = useMutation({
    mutationFn: recordStageDecision,
    onSuccess: async ({ decision }) => {
      setReason('');
      // The log shows the decision at once (the page merges it in); the stage state and verdicts
      // follow when the server has measured the evaluation anew. An evaluation still on its way
      // was measured before the decision: dropped, and asked again with the rest (not awaited).
      onRecorded(decision);
      await queryClient.cancelQueries({ queryKey: [...stagesKeys.all, 'evaluation'] });
      void queryClient.invalidateQueries({ queryKey: stagesKeys.all });
    },
  });
  const evaluating = useIsFetching({ queryKey: [...stagesKeys.all, 'evaluation'] }) > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (stage === undefined) return;
    mutation.mutate({ action, stage, actor, reason, evaluatedAt });
  };

  const error = mutation.error;
  const errorText =
    error instanceof ApiRequestError
      ? error.status === 401 || error.status === 403
        ? `${error.message} Recording decisions needs an admin token.`
        : error.message
      : error
        ? 'The decision could not be recorded; try again.'
        : null;

  return (
    <Panel
      testId="decision-form"
      span="half"
      title="Record a decision"
      subtitle={`The rollout is at stage ${currentStage}. A recorded decision sets the current stage at once.`}
    >
      <form className={styles.form} onSubmit={submit}>
        <fieldset className={styles.actions}>
          <legend>Decision</legend>
          {DECISION_ACTIONS.map((choice) => {
            const possible = decisionStages(choice, currentStage).length > 0;
            return (
              <label key={choice} className={styles.actionChoice}>
                <input
                  type="radio"
                  name="action"
                  value={choice}
                  checked={action === choice}
                  disabled={!possible}
                  onChange={() => setAction(choice)}
                />
                {ACTION_LABEL[choice]}
              </label>
            );
          })}
        </fieldset>
        {action === 'roll_back' ? (
          <label>
            Roll back to
            <select value={stage ?? ''} onChange={(event) => setRollBackTo(Number(event.target.value))}>
              {options.map((option) => (
                <option key={option} value={option}>
                  {name(option)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className={styles.small} data-field="target-stage">
            {action === 'advance' ? 'Advance to' : 'Stay at'} stage {stage !== undefined ? name(stage) : '—'}
          </p>
        )}
        {account ? (
          <p className={styles.small}>Recorded as {account.name} (signed in).</p>
        ) : (
          <label>
            Who decides
            <input
              name="actor"
              value={actor}
              maxLength={MAX_ACTOR_LENGTH}
              onChange={(event) => setActor(event.target.value)}
              placeholder="Name and role (recorded as unverified on an open install)"
            />
          </label>
        )}
        <label>
          Why
          <textarea
            name="reason"
            value={reason}
            maxLength={MAX_REASON_LENGTH}
            required
            onChange={(event) => setReason(event.target.value)}
            placeholder="The evidence and what you accept"
          />
          <span className={styles.counter}>
            {reason.length} / {MAX_REASON_LENGTH}
          </span>
        </label>
        <button
          className={`${kit.button} ${styles.primary}`}
          type="submit"
          disabled={mutation.isPending || stage === undefined || !reason.trim()}
        >
          {mutation.isPending ? 'Recording…' : 'Record decision'}
        </button>
        {errorText ? (
          <p className={styles.formError} role="alert">
            {errorText}
          </p>
        ) : null}
        {mutation.isSuccess && !mutation.isPending ? (
          <p className={styles.formOk} role="status">
            Recorded: {ACTION_LABEL[mutation.data.decision.action]} — the rollout is at stage {mutation.data.currentStage}.
            {evaluating ? ' Evaluating the gates again for it…' : ''}
          </p>
        ) : null}
      </form>
    </Panel>
  );
}
