'use client';

import { useOptimistic, useState, useSyncExternalStore, useTransition } from 'react';
import {
  environmentSelection,
  environmentUrlValues,
  FILTER_KEYS,
  FILTER_LABELS,
  FILTER_OPTIONS,
  RANGE_PRESETS,
  RELEASE_FILTER_KEYS,
  splitList,
  type FilterKey,
  type RangePreset,
} from '@/lib/client/global-params';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { formatLabel, formatWindow } from './format';
import styles from './filter-bar.module.css';
import kit from './kit.module.css';

const PRESET_LABEL: Record<RangePreset, string> = { '7d': '7 days', '28d': '28 days', '90d': '90 days' };

function MultiSelectFilter({
  name,
  options,
  selected: committed,
  onChange,
}: {
  name: FilterKey;
  options: readonly string[];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  // The URL is the truth; show the ticked box at once while the navigation to it is pending.
  const [selected, setSelected] = useOptimistic(committed);
  const [, startTransition] = useTransition();
  const choose = (values: string[]) =>
    startTransition(() => {
      setSelected(values);
      onChange(values);
    });
  const summary = selected.length === 0 ? 'any' : selected.length === 1 ? formatLabel(selected[0] ?? '') : `${selected.length} selected`;
  return (
    <details className={styles.multi} data-filter={name}>
      <summary className={styles.summary} data-active={selected.length > 0}>
        {FILTER_LABELS[name]}: {summary}
      </summary>
      <div className={styles.menu} role="group" aria-label={FILTER_LABELS[name]}>
        {options.map((option) => (
          <label key={option} className={styles.option}>
            <input
              type="checkbox"
              name={name}
              value={option}
              checked={selected.includes(option)}
              onChange={(event) => choose(event.target.checked ? [...selected, option] : selected.filter((value) => value !== option))}
            />
            {formatLabel(option)}
          </label>
        ))}
      </div>
    </details>
  );
}

/** A comma-separated free-text filter; applied on Enter or when the field loses focus. */
function TextFilter({ name, selected, onChange }: { name: FilterKey; selected: string[]; onChange: (values: string[]) => void }) {
  const current = selected.join(', ');
  const [draft, setDraft] = useState(current);
  const apply = () => {
    const values = splitList(draft);
    if (values.join(',') !== selected.join(',')) onChange(values);
  };
  return (
    <label className={styles.textFilter}>
      <span className={styles.filterLabel}>{FILTER_LABELS[name]}</span>
      <input
        className={styles.input}
        name={name}
        data-filter={name}
        data-active={selected.length > 0}
        value={draft}
        placeholder="any"
        onChange={(event) => setDraft(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />
    </label>
  );
}

/**
 * The environment: the URL's, else the server's DEFAULT_ENVIRONMENT shown as selected (marked
 * "default"). Emptying the field while a default is configured reads every environment (`*`);
 * typing the default back returns to following the configuration (no parameter).
 */
function EnvironmentFilter({
  selected,
  defaultEnvironment,
  onChange,
}: {
  selected: string[];
  defaultEnvironment?: string;
  onChange: (values: string[]) => void;
}) {
  const shown = environmentSelection(selected, defaultEnvironment);
  const [draft, setDraft] = useState(shown.values.join(', '));
  const apply = () => {
    const next = environmentUrlValues(splitList(draft), defaultEnvironment);
    if (next.join(',') !== selected.join(',')) onChange(next);
  };
  return (
    <label className={styles.textFilter}>
      <span className={styles.filterLabel}>
        {FILTER_LABELS.environment}
        {shown.isDefault ? <span data-testid="environment-default"> (default)</span> : null}
      </span>
      <input
        className={styles.input}
        name="environment"
        data-filter="environment"
        data-active={shown.values.length > 0}
        value={draft}
        placeholder="all"
        title={defaultEnvironment ? `Default: ${defaultEnvironment}. Empty = every environment.` : 'Empty = every environment.'}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />
    </label>
  );
}

function CustomRange({ from, to, onApply }: { from: string; to: string; onApply: (from: string, to: string) => void }) {
  const [start, setStart] = useState(from.slice(0, 10));
  const [end, setEnd] = useState(to.slice(0, 10));
  const valid = start !== '' && end !== '' && start < end;
  return (
    <form
      className={styles.dates}
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onApply(start, end);
      }}
    >
      <label className={styles.filterLabel} htmlFor="range-from">
        From
      </label>
      <input
        id="range-from"
        name="from"
        className={styles.input}
        type="date"
        value={start}
        onChange={(event) => setStart(event.target.value)}
      />
      <label className={styles.filterLabel} htmlFor="range-to">
        to (exclusive)
      </label>
      <input id="range-to" name="to" className={styles.input} type="date" value={end} onChange={(event) => setEnd(event.target.value)} />
      <button type="submit" className={kit.button} disabled={!valid}>
        Apply
      </button>
    </form>
  );
}

/**
 * The global time range (presets or custom dates, UTC), the seven filters and the release group
 * (environment, service, release, OS and browser versions). Every change pushes a new URL, so the
 * state is shareable and the back button restores it. `defaultEnvironment` is the server's
 * DEFAULT_ENVIRONMENT, shown as the environment when the URL names none.
 */
const noSubscription = () => () => undefined;

/**
 * Whose days the charts show: UTC (the default), the viewer's own zone, or the zone a shared link
 * names. Day buckets move with it on the server (`tz`), not only their labels.
 */
function TimeZoneChoice({ tz, onChange }: { tz: string; onChange: (tz: string | null) => void }) {
  // The browser's zone is known only in the browser: none while rendering on the server.
  const local = useSyncExternalStore(
    noSubscription,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => null,
  );
  const zones = [...new Set(['UTC', ...(local ? [local] : []), tz])];
  return (
    <label className={styles.filterLabel}>
      Days in
      <select
        className={styles.input}
        name="tz"
        data-testid="time-zone"
        value={tz}
        onChange={(event) => onChange(event.target.value === 'UTC' ? null : event.target.value)}
      >
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone === 'UTC' ? 'UTC' : zone === local ? `${zone} (yours)` : zone}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterBar({ defaultEnvironment }: { defaultEnvironment?: string }) {
  const { range, from, to, tz, filters, update } = useGlobalParams();
  const [customOpen, setCustomOpen] = useState(false);
  const custom = range.kind === 'custom' || customOpen;
  const anyFilter = FILTER_KEYS.some((key) => filters[key].length > 0);
  return (
    <div className={styles.bar} data-testid="filter-bar">
      <div className={styles.group}>
        <span className={styles.groupLabel}>Window</span>
        <div className={kit.segmented} role="group" aria-label="Time range">
          {RANGE_PRESETS.map((preset) => (
            <button
              key={preset}
              type="button"
              className={kit.segment}
              data-range={preset}
              aria-pressed={!custom && range.kind === 'preset' && range.preset === preset}
              onClick={() => {
                setCustomOpen(false);
                update({ range: { kind: 'preset', preset } });
              }}
            >
              {PRESET_LABEL[preset]}
            </button>
          ))}
          <button type="button" className={kit.segment} data-range="custom" aria-pressed={custom} onClick={() => setCustomOpen(true)}>
            Custom
          </button>
        </div>
        {custom ? (
          <CustomRange
            key={`${from}|${to}`}
            from={from}
            to={to}
            onApply={(start, end) => update({ range: { kind: 'custom', from: start, to: end } })}
          />
        ) : null}
        <TimeZoneChoice tz={tz} onChange={(zone) => update({ tz: zone })} />
      </div>
      <div className={styles.group}>
        {FILTER_KEYS.filter((key) => !RELEASE_FILTER_KEYS.includes(key)).map((key) => {
          const options = FILTER_OPTIONS[key];
          const onChange = (values: string[]) => update({ filters: { [key]: values } });
          return options ? (
            <MultiSelectFilter key={key} name={key} options={options} selected={filters[key]} onChange={onChange} />
          ) : (
            <TextFilter key={`${key}:${filters[key].join(',')}`} name={key} selected={filters[key]} onChange={onChange} />
          );
        })}
      </div>
      <div className={styles.group} data-testid="release-filters">
        {RELEASE_FILTER_KEYS.map((key) => {
          const onChange = (values: string[]) => update({ filters: { [key]: values } });
          return key === 'environment' ? (
            <EnvironmentFilter
              key={`environment:${filters.environment.join(',')}:${defaultEnvironment ?? ''}`}
              selected={filters.environment}
              defaultEnvironment={defaultEnvironment}
              onChange={onChange}
            />
          ) : (
            <TextFilter key={`${key}:${filters[key].join(',')}`} name={key} selected={filters[key]} onChange={onChange} />
          );
        })}
        {anyFilter ? (
          <button
            type="button"
            className={styles.clear}
            onClick={() => update({ filters: Object.fromEntries(FILTER_KEYS.map((key) => [key, []])) })}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      <div className={styles.window} data-testid="window" suppressHydrationWarning>
        {formatWindow(from, to)}
      </div>
    </div>
  );
}
