/** Calm, colour-blind-friendly series colours (Okabe–Ito based), in assignment order. */
export const SERIES_COLORS = ['#2453d6', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8c6d31', '#6b7280'] as const;

export const TONE_COLORS = { good: '#1a7f37', bad: '#c62828', warn: '#b26a00', neutral: '#6b7280', accent: '#2453d6' } as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? '#2453d6';
}

/** Axis text, grid and hover tint follow the theme (app/globals.css; CSS variables work in SVG attributes). */
export const AXIS_TICK = { fontSize: 12, fill: 'var(--muted)' } as const;
export const GRID_STROKE = 'var(--line)';
export const HOVER_FILL = 'var(--hover-tint)';
/** Secondary series: cancellations, a previous period. */
export const NEUTRAL_SERIES = 'var(--chart-neutral)';
export const PREVIOUS_SERIES = 'var(--chart-previous)';
export const CHART_INK = 'var(--chart-ink)';
