'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import kit from '@/components/kit/kit.module.css';
import { endOfDayTo, evaluationExportUrl, evaluationLink, pickerDay } from './prepare-history';
import styles from './stages.module.css';

/** Evaluate as of the end of a chosen UTC day (`?to=`), or now. */
export function PastEvaluationPicker({ to }: { to: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const [yesterday] = useState(() => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  const go = (next: string | null) => router.push(next ? `${pathname}?to=${encodeURIComponent(next)}` : pathname, { scroll: false });
  return (
    <div className={styles.pastPicker} data-testid="past-evaluation">
      <label>
        Evaluate as of the end of (UTC){' '}
        <input
          type="date"
          max={yesterday}
          suppressHydrationWarning
          value={to ? pickerDay(to) : ''}
          onChange={(event) => {
            if (event.target.value) go(endOfDayTo(event.target.value));
          }}
        />
      </label>
      {to ? (
        <button type="button" className={kit.button} onClick={() => go(null)}>
          Back to now
        </button>
      ) : null}
    </div>
  );
}

/** The same evaluation as a link to share, and as JSON or CSV. */
export function EvaluationLinks({ evaluatedAt }: { evaluatedAt: string }) {
  return (
    <span className={styles.evaluationLinks} data-testid="evaluation-links">
      <a href={evaluationLink(evaluatedAt)}>Link to this evaluation</a> · <a href={evaluationExportUrl(evaluatedAt, 'json')}>Export JSON</a>{' '}
      ·{' '}
      <a href={evaluationExportUrl(evaluatedAt, 'csv')} download>
        Export CSV
      </a>
    </span>
  );
}
