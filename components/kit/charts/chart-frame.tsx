import type { ReactNode } from 'react';
import styles from '../kit.module.css';

/** Wraps a chart with an accessible name; the numbers themselves are in the panel's table. */
export function ChartFrame({ label, height, testId, children }: { label: string; height: number; testId?: string; children: ReactNode }) {
  return (
    <figure className={styles.chart} role="img" aria-label={label} data-testid={testId} style={{ height }}>
      {children}
    </figure>
  );
}
