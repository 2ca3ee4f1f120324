'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { formatCount, formatDecimal, formatPercent, MISSING } from './format';
import styles from './kit.module.css';

export type CellFormat = 'count' | 'percent' | 'decimal' | 'text';

export interface Column<Row> {
  key: string;
  header: ReactNode;
  /** The sort value (and the displayed value when there is no render). */
  value: (row: Row) => string | number | null;
  format?: CellFormat;
  render?: (row: Row) => ReactNode;
  align?: 'left' | 'right';
  /** A tooltip explaining the column. */
  title?: string;
  sortable?: boolean;
}

export type SortDirection = 'ascending' | 'descending';

export interface DataTableProps<Row> {
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row>>;
  rowKey: (row: Row) => string;
  /** `data-testid` of the table. */
  testId: string;
  caption?: ReactNode;
  initialSort?: { key: string; direction: SortDirection };
  emptyMessage?: ReactNode;
  /** Highlights a row (e.g. a selected one). */
  isSelected?: (row: Row) => boolean;
  onRowClick?: (row: Row) => void;
}

function display(value: string | number | null, format: CellFormat): string {
  if (value === null) return MISSING;
  if (typeof value === 'string') return value;
  if (format === 'percent') return formatPercent(value);
  if (format === 'decimal') return formatDecimal(value);
  if (format === 'count') return formatCount(value);
  return String(value);
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * A sortable table: each sortable header is a button (Enter/Space toggle), the sorted column has
 * aria-sort; missing values sort last in both directions.
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  testId,
  caption,
  initialSort,
  emptyMessage,
  isSelected,
  onRowClick,
}: DataTableProps<Row>) {
  const [sort, setSort] = useState<{ key: string; direction: SortDirection } | null>(initialSort ?? null);
  const sorted = useMemo(() => {
    const column = sort ? columns.find((c) => c.key === sort.key) : undefined;
    if (!sort || !column) return rows;
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return rows
      .map((row, index) => ({ row, index }))
      .sort((x, y) => {
        const a = column.value(x.row);
        const b = column.value(y.row);
        if (a === null || b === null) return compare(a, b) || x.index - y.index;
        return sign * compare(a, b) || x.index - y.index;
      })
      .map(({ row }) => row);
  }, [rows, columns, sort]);

  const toggle = (key: string) =>
    setSort((current) =>
      current?.key === key
        ? { key, direction: current.direction === 'descending' ? 'ascending' : 'descending' }
        : { key, direction: 'descending' },
    );

  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid={testId}>
        {caption ? <caption className={styles.caption}>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column) => {
              const align = column.align ?? (column.format && column.format !== 'text' ? 'right' : 'left');
              const active = sort?.key === column.key;
              const sortable = column.sortable !== false;
              return (
                <th
                  key={column.key}
                  scope="col"
                  data-align={align}
                  aria-sort={active && sort ? sort.direction : sortable ? 'none' : undefined}
                  title={column.title}
                >
                  {sortable ? (
                    <button type="button" className={styles.sortButton} onClick={() => toggle(column.key)} data-column={column.key}>
                      {column.header}
                      <span className={styles.sortIcon} aria-hidden="true">
                        {active ? (sort?.direction === 'ascending' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className={styles.emptyCell}>
                {emptyMessage ?? 'No rows.'}
              </td>
            </tr>
          ) : (
            sorted.map((row) => {
              const key = rowKey(row);
              return (
                <tr
                  key={key}
                  data-row={key}
                  data-selected={isSelected?.(row) ? 'true' : undefined}
                  className={onRowClick ? styles.clickableRow : undefined}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                >
                  {columns.map((column) => {
                    const align = column.align ?? (column.format && column.format !== 'text' ? 'right' : 'left');
                    const raw = column.value(row);
                    return (
                      <td key={column.key} data-column={column.key} data-align={align} data-value={raw ?? ''}>
                        {column.render ? column.render(row) : display(raw, column.format ?? 'text')}
                      </td>
                    );
                  })}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
