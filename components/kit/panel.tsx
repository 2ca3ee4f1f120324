'use client';

import type { ReactNode } from 'react';
import styles from './kit.module.css';

export type PanelSpan = 'full' | 'half' | 'third' | 'two-thirds' | 'quarter';

export type PanelState =
  | { status: 'ready' }
  | { status: 'loading' }
  | { status: 'empty'; message?: ReactNode }
  | { status: 'error'; error: Error; retry?: () => void };

export interface PanelProps {
  title: ReactNode;
  /** What the panel answers / its definition, one line. */
  subtitle?: ReactNode;
  /** Right-aligned header controls (a switch, a link). */
  actions?: ReactNode;
  /** `data-testid` of the panel; also `data-panel`. */
  testId?: string;
  /** Width in the 12-column page grid. */
  span?: PanelSpan;
  state?: PanelState;
  children?: ReactNode;
}

const SPAN_CLASS: Record<PanelSpan, string | undefined> = {
  full: styles.spanFull,
  half: styles.spanHalf,
  third: styles.spanThird,
  'two-thirds': styles.spanTwoThirds,
  quarter: styles.spanQuarter,
};

export function PanelSkeleton() {
  return (
    <div className={styles.skeleton} role="status" aria-live="polite">
      <span className={styles.srOnly}>Loading…</span>
      <div className={styles.skeletonLine} style={{ width: '60%' }} />
      <div className={styles.skeletonLine} style={{ width: '85%' }} />
      <div className={styles.skeletonLine} style={{ width: '40%' }} />
    </div>
  );
}

export function PanelError({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className={styles.error} role="alert" data-testid="panel-error">
      <strong>Could not load this panel.</strong>
      <p className={styles.errorMessage}>{error.message}</p>
      {retry ? (
        <button type="button" className={styles.button} onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function PanelEmpty({ children }: { children?: ReactNode }) {
  return (
    <div className={styles.empty} data-testid="panel-empty">
      {children ?? 'No data for this window and these filters.'}
    </div>
  );
}

/** A titled card with loading, empty and error states. */
export function Panel({ title, subtitle, actions, testId, span = 'full', state = { status: 'ready' }, children }: PanelProps) {
  return (
    <section
      className={`${styles.panel} ${SPAN_CLASS[span] ?? ''}`}
      data-testid={testId}
      data-panel={testId}
      data-state={state.status}
      aria-busy={state.status === 'loading'}
    >
      <header className={styles.panelHeader}>
        <div>
          <h2 className={styles.panelTitle}>{title}</h2>
          {subtitle ? <p className={styles.panelSubtitle}>{subtitle}</p> : null}
        </div>
        {actions ? <div className={styles.panelActions}>{actions}</div> : null}
      </header>
      <div className={styles.panelBody}>
        {state.status === 'loading' ? <PanelSkeleton /> : null}
        {state.status === 'error' ? <PanelError error={state.error} retry={state.retry} /> : null}
        {state.status === 'empty' ? <PanelEmpty>{state.message}</PanelEmpty> : null}
        {state.status === 'ready' ? children : null}
      </div>
    </section>
  );
}

/** The part of a TanStack `useQuery` result a panel needs. */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export interface QueryPanelProps<T> extends Omit<PanelProps, 'state' | 'children'> {
  query: QueryLike<T>;
  /** Decides the empty state from the data (e.g. no ceremonies in the window). */
  isEmpty?: (data: T) => boolean;
  emptyMessage?: ReactNode;
  children: (data: T) => ReactNode;
}

/** A Panel driven by a TanStack query result: skeleton while pending, the API's message on error. */
export function QueryPanel<T>({ query, isEmpty, emptyMessage, children, ...panel }: QueryPanelProps<T>) {
  const retry = () => void query.refetch();
  let state: PanelState;
  if (query.error && query.data === undefined) state = { status: 'error', error: asError(query.error), retry };
  else if (query.isPending || query.data === undefined) state = { status: 'loading' };
  else if (isEmpty?.(query.data)) state = { status: 'empty', message: emptyMessage };
  else state = { status: 'ready' };
  return (
    <Panel {...panel} state={state}>
      {state.status === 'ready' && query.data !== undefined ? children(query.data) : null}
    </Panel>
  );
}
