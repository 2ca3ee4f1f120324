/**
 * The current stage-gate evaluation, kept (GET /api/v1/stages without `to`: the Overview's stage
 * panel and the Stage gates page). Its windows end at the current minute, so at every minute
 * boundary the answer changes and, on the embedded engine at 10 M events, measuring it again takes
 * seconds (docs/performance.md, "The current stage-gate evaluation, kept"). Instead:
 *
 * - an evaluation measured for this minute is served as it is (and one being measured is shared);
 * - else the newest one measured is served at once if its windows end at most `maxAgeMs` before this
 *   minute — the stated freshness: the answer's `evaluatedAt` says which minute it is — while the one
 *   for this minute is measured in the background for the next viewer;
 * - else (none, or older) the viewer waits for this minute's.
 *
 * Keys name everything else an answer depends on (the question, the configuration, the decision
 * log, the stored days a trend reads), so a decision just recorded, an edited configuration or a day
 * evaluated again is never answered from before it. At most `keys` are kept (the least recently asked go first). The caller gives
 * the minute and the measurement; the app's instance lives on globalThis (stages-service.ts).
 */
export interface Kept<T> {
  /** The end of the evaluation's windows (ms since the epoch). */
  to: number;
  value: T;
}

interface Slot<T> {
  kept?: Kept<T>;
  measuring?: { to: number; value: Promise<T> };
}

export interface KeptEvaluations<T> {
  /**
   * The evaluation for `key` whose windows end at `to` (this minute), or the one kept if its
   * windows end at most `maxAgeMs` earlier, while this minute's is measured. `measure` runs at most
   * once at a time per key and minute.
   */
  get(key: string, to: Date, measure: (to: Date) => Promise<T>): Promise<Kept<T>>;
  /**
   * Measures this minute's evaluation for `key` ahead of its viewers, only if the one kept would be
   * too old to serve at the next minute (its windows end `maxAgeMs` or more before `to`), or none is
   * kept: so one kept fresh this way is measured every `maxAgeMs`, and a viewer is always served at
   * once an answer at most `maxAgeMs` old. Resolves when measured (at once when not due).
   */
  prepare(key: string, to: Date, measure: (to: Date) => Promise<T>): Promise<void>;
}

export function keptEvaluations<T>(options: {
  maxAgeMs: number;
  keys: number;
  onBackgroundError?: (error: unknown) => void;
}): KeptEvaluations<T> {
  const slots = new Map<string, Slot<T>>();

  function measureInto(slot: Slot<T>, to: number, measure: (to: Date) => Promise<T>): Promise<T> {
    if (slot.measuring?.to === to) return slot.measuring.value;
    const value = measure(new Date(to));
    slot.measuring = { to, value };
    void value
      .then(
        (result) => {
          if (!slot.kept || slot.kept.to <= to) slot.kept = { to, value: result };
        },
        // A failed measurement is not kept; the next viewer tries again.
        () => undefined,
      )
      .finally(() => {
        if (slot.measuring?.value === value) slot.measuring = undefined;
      });
    return value;
  }

  function slotOf(key: string): Slot<T> {
    const slot = slots.get(key) ?? {};
    // Re-inserted: the Map's order is the order keys were last asked in.
    slots.delete(key);
    slots.set(key, slot);
    for (const old of slots.keys()) {
      if (slots.size <= options.keys) break;
      slots.delete(old);
    }
    return slot;
  }

  return {
    async prepare(key, toDate, measure) {
      const to = toDate.getTime();
      const slot = slotOf(key);
      if (slot.kept && to - slot.kept.to < options.maxAgeMs) return;
      await measureInto(slot, to, measure);
    },
    async get(key, toDate, measure) {
      const to = toDate.getTime();
      const slot = slotOf(key);
      const kept = slot.kept;
      if (kept && kept.to === to) return kept;
      if (kept && kept.to < to && to - kept.to <= options.maxAgeMs) {
        measureInto(slot, to, measure).catch((error: unknown) => options.onBackgroundError?.(error));
        return kept;
      }
      return { to, value: await measureInto(slot, to, measure) };
    },
  };
}

/**
 * The current questions viewers asked lately (GATE_REFRESH=on): the server looks at them every few
 * seconds and measures, through `prepare`, those whose kept answer is due, so that a viewer of a
 * dashboard in use never waits for a measurement. A question not asked for `watchMs` is dropped: a
 * server nobody looks at does no stage-gate work. At most `max` questions (the least recently asked
 * go first).
 */
export interface WatchedQuestions<Q> {
  ask(key: string, question: Q): void;
  /** Every question asked within `watchMs`, least recently asked first. */
  current(): Q[];
}

export function watchedQuestions<Q>(options: { watchMs: number; max: number; now?: () => number }): WatchedQuestions<Q> {
  const now = options.now ?? Date.now;
  const asked = new Map<string, { question: Q; at: number }>();
  return {
    ask(key, question) {
      asked.delete(key);
      asked.set(key, { question, at: now() });
      for (const old of asked.keys()) {
        if (asked.size <= options.max) break;
        asked.delete(old);
      }
    },
    current() {
      const since = now() - options.watchMs;
      for (const [key, entry] of asked) if (entry.at < since) asked.delete(key);
      return [...asked.values()].map((entry) => entry.question);
    },
  };
}
