'use client';

import styles from './kit.module.css';

export interface SegmentedOption<V extends string> {
  value: V;
  label: string;
}

/** A small exclusive switch (buttons with aria-pressed), e.g. a groupBy or interval choice. */
export function SegmentedControl<V extends string>({
  options,
  value,
  onChange,
  label,
  testId,
}: {
  options: ReadonlyArray<SegmentedOption<V>>;
  value: V;
  onChange: (value: V) => void;
  label: string;
  testId?: string;
}) {
  return (
    <div className={styles.segmented} role="group" aria-label={label} data-testid={testId}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          className={styles.segment}
          aria-pressed={option.value === value}
          data-value={option.value}
          onClick={() => option.value !== value && onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
