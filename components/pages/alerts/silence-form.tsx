'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useAccount } from '@/components/kit/account';
import kit from '@/components/kit/kit.module.css';
import type { AlertRuleState } from '@/lib/contracts/alerts';
import { ApiRequestError } from '@/lib/client/api';
import { alertsKeys, createSilence } from '@/lib/client/alerts';
import styles from './alerts.module.css';

const DURATIONS = [
  { hours: 1, label: '1 hour' },
  { hours: 4, label: '4 hours' },
  { hours: 24, label: '1 day' },
  { hours: 168, label: '1 week' },
];

export function writeErrorText(error: unknown, what: string): string | null {
  if (!error) return null;
  if (error instanceof ApiRequestError) {
    return error.status === 401 || error.status === 403 ? `${error.message} ${what} needs an admin token.` : error.message;
  }
  return `${what} failed; try again.`;
}

/** Mute a rule (or one of its series) until a time, with a reason. Give it a `key` per preset to start over from one. */
export function SilenceForm({ rules, preset }: { rules: AlertRuleState[]; preset: { ruleId: string; seriesKey: string } | null }) {
  const queryClient = useQueryClient();
  const [ruleId, setRuleId] = useState(preset?.ruleId ?? rules[0]?.id ?? '');
  const [seriesKey, setSeriesKey] = useState(preset?.seriesKey ?? '');
  const [hours, setHours] = useState(4);
  const [reason, setReason] = useState('');
  const account = useAccount();
  const [actor, setActor] = useState('');
  const series = rules.find((rule) => rule.id === ruleId)?.firing ?? [];

  const mutation = useMutation({
    mutationFn: createSilence,
    onSuccess: async () => {
      setReason('');
      await queryClient.invalidateQueries({ queryKey: alertsKeys.all });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      ruleId,
      seriesKey,
      until: new Date(Date.now() + hours * 3_600_000).toISOString(),
      reason,
      ...(actor.trim() ? { actor } : {}),
    });
  };
  const errorText = writeErrorText(mutation.error, 'Muting an alert');

  return (
    <form className={styles.form} onSubmit={submit} data-testid="silence-form">
      <div className={styles.row}>
        <label>
          Rule
          <select name="ruleId" value={ruleId} onChange={(event) => (setRuleId(event.target.value), setSeriesKey(''))}>
            {rules.map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Series
          <select name="seriesKey" value={seriesKey} onChange={(event) => setSeriesKey(event.target.value)}>
            <option value="">The whole rule</option>
            {seriesKey && !series.some((entry) => entry.seriesKey === seriesKey) ? <option value={seriesKey}>{seriesKey}</option> : null}
            {series.map((entry) => (
              <option key={entry.seriesKey} value={entry.seriesKey}>
                {entry.seriesKey}
              </option>
            ))}
          </select>
        </label>
        <label>
          For
          <select name="hours" value={hours} onChange={(event) => setHours(Number(event.target.value))}>
            {DURATIONS.map((duration) => (
              <option key={duration.hours} value={duration.hours}>
                {duration.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Why
        <input
          name="reason"
          value={reason}
          maxLength={500}
          required
          onChange={(event) => setReason(event.target.value)}
          placeholder="Known incident, maintenance…"
        />
      </label>
      {account ? (
        <p className={styles.small}>Recorded as {account.name} (signed in).</p>
      ) : (
        <label>
          Who
          <input
            name="actor"
            value={actor}
            maxLength={100}
            onChange={(event) => setActor(event.target.value)}
            placeholder="Recorded as unverified on an open install"
          />
        </label>
      )}
      <button className={`${kit.button} ${styles.primary}`} type="submit" disabled={mutation.isPending || !ruleId || !reason.trim()}>
        {mutation.isPending ? 'Muting…' : 'Mute'}
      </button>
      {errorText ? (
        <p className={styles.error} role="alert">
          {errorText}
        </p>
      ) : null}
      {mutation.isSuccess && !mutation.isPending ? (
        <p className={styles.ok} role="status">
          Muted {mutation.data.silence.ruleId}
          {mutation.data.silence.seriesKey ? ` (${mutation.data.silence.seriesKey})` : ''} until{' '}
          {new Date(mutation.data.silence.until).toLocaleString()}.
        </p>
      ) : null}
    </form>
  );
}
