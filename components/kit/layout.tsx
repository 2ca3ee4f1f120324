import type { ReactNode } from 'react';
import styles from './kit.module.css';

/** The 12-column page grid; put Panels (with `span`) in it. */
export function PageGrid({ children }: { children: ReactNode }) {
  return <div className={styles.pageGrid}>{children}</div>;
}

/** A page's h1, one-line description and right-aligned extras (e.g. the window). */
export function PageHeader({ title, description, meta }: { title: string; description?: ReactNode; meta?: ReactNode }) {
  return (
    <div className={styles.pageHeader}>
      <div>
        <h1 className={styles.pageTitle}>{title}</h1>
        {description ? <p className={styles.pageDescription}>{description}</p> : null}
      </div>
      {meta ? <div className={styles.pageMeta}>{meta}</div> : null}
    </div>
  );
}

/** A definition list of label → value pairs. */
export function KeyValues({
  items,
  testId,
}: {
  items: ReadonlyArray<{ label: ReactNode; value: ReactNode; key: string }>;
  testId?: string;
}) {
  return (
    <dl className={styles.keyValues} data-testid={testId}>
      {items.map((item) => (
        <div key={item.key} style={{ display: 'contents' }} data-field={item.key}>
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'good' | 'bad' | 'warn' | 'neutral'; children: ReactNode }) {
  return (
    <span className={styles.badge} data-tone={tone}>
      {children}
    </span>
  );
}
