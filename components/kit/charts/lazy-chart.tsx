'use client';

import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import styles from '../kit.module.css';

/**
 * Charts stay out of a page's first load: Recharts is about 150 KB of compressed JavaScript, more
 * than the rest of a page together (docs/performance.md, first-load JS). A lazy chart renders a
 * placeholder of the chart's height until its code is there; the code is fetched when a chart first
 * renders (its data has arrived) or, on pages with charts, once the page has loaded and the browser
 * is idle — so by the time the data arrives it is usually in the cache already.
 */
export function lazyChart<P extends object>(
  load: () => Promise<ComponentType<P>>,
  placeholder: (props: P) => { height: number; label: string },
): ComponentType<P> & { preload: () => Promise<unknown> } {
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () => (pending ??= load().then((component) => ({ default: component })));
  const Chart = lazy(preload);
  function LazyChart(props: P) {
    const { height, label } = placeholder(props);
    return (
      <Suspense fallback={<figure className={styles.chart} aria-busy="true" aria-label={`${label} (loading)`} style={{ height }} />}>
        <Chart {...props} />
      </Suspense>
    );
  }
  return Object.assign(LazyChart, { preload });
}

/** Fetches the given charts' code after the page's load event, when the browser is idle. */
export function usePreloadCharts(...charts: ReadonlyArray<{ preload: () => Promise<unknown> }>): void {
  useEffect(() => {
    let cancelled = false;
    const run = () => {
      if (!cancelled) for (const chart of charts) void chart.preload().catch(() => undefined);
    };
    const idle = () => ('requestIdleCallback' in window ? window.requestIdleCallback(run, { timeout: 2000 }) : setTimeout(run, 200));
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle, { once: true });
    return () => {
      cancelled = true;
      window.removeEventListener('load', idle);
    };
    // The charts are module-level constants: preload once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
