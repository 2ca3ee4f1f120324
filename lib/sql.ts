/**
 * A small typed `sql` tag for the few dynamic parts of the read queries (a group-by dimension, a
 * shared fragment). Why: values must always be bound ({name:Type}) and never spliced into text.
 * The tag's slots accept only other fragments — made by this tag or by `identifier`, which picks a
 * column from an allow-list — so there is no raw-string escape hatch, at compile time (the slot
 * type) or at run time (a string throws).
 */

const FRAGMENT = Symbol('sql-fragment');

export interface SqlFragment {
  readonly [FRAGMENT]: true;
  readonly text: string;
}

function fragment(text: string): SqlFragment {
  return Object.freeze({ [FRAGMENT]: true as const, text });
}

export function isSqlFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FRAGMENT] === true;
}

export function sql(strings: TemplateStringsArray, ...slots: SqlFragment[]): SqlFragment {
  let text = strings[0] ?? '';
  slots.forEach((slot, i) => {
    if (!isSqlFragment(slot)) {
      throw new TypeError('sql`…`: a slot must be an sql fragment or an identifier from an allow-list; bind values as {name:Type}');
    }
    text += slot.text + (strings[i + 1] ?? '');
  });
  return fragment(text);
}

/** A column expression chosen by key from a fixed allow-list; unknown keys throw. */
export function identifier<K extends string>(allowList: Readonly<Record<K, string>>, key: K): SqlFragment {
  if (!Object.prototype.hasOwnProperty.call(allowList, key)) {
    throw new TypeError(`identifier: '${String(key).slice(0, 40)}' is not in the allow-list`);
  }
  return fragment(allowList[key]);
}

/** Joins fragments with a separator that is itself a fixed string literal of this module. */
export function join(fragments: SqlFragment[], separator: ', ' | ' AND ' | ' OR ' | '\n'): SqlFragment {
  return fragment(fragments.map((f) => f.text).join(separator));
}
