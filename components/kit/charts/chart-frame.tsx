import type { ReactNode } from 'react';
import styles from '../kit.module.css';

/**
 * Wraps a chart with an accessible name; the numbers themselves are in the panel's table. A chart
 * with controls of its own (a brush) is a named group rather than an image: an image may not hold
 * interactive controls.
 */
export function ChartFrame({
  label,
  height,
  testId,
  interactive = false,
  children,
}: {
  label: string;
  height: number;
  testId?: string;
  interactive?: boolean;
  children: ReactNode;
}) {
  return (
    <figure className={styles.chart} role={interactive ? 'group' : 'img'} aria-label={label} data-testid={testId} style={{ height }}>
      {children}
    </figure>
  );
}
