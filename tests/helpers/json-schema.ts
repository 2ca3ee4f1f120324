/**
 * A small JSON Schema (2020-12) checker for the keywords zod 4 emits (types, enum/const,
 * properties/required/additionalProperties, records, items, anyOf/oneOf/allOf, local $ref, numeric
 * and length bounds, pattern), so the tests validate real answers against the served OpenAPI
 * document itself without a validator dependency. Annotations (`format`, `description`, `default`)
 * are not checked. Returns the problems found, empty when the value conforms.
 */
type Schema = Record<string, unknown> | boolean;

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return false;
  }
}

/** Resolves `#/a/b` in `root`. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`not a local reference: ${ref}`);
  return ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

export function validate(schema: Schema, value: unknown, root: unknown, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  const s = schema as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof s.$ref === 'string') {
    const target = resolvePointer(root, s.$ref);
    if (target === undefined) return [`${at}: unresolved ${s.$ref}`];
    problems.push(...validate(target as Schema, value, root, at));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((type) => typeOk(type, value)))
      return [...problems, `${at}: ${JSON.stringify(value)?.slice(0, 80)} is not ${types.join(' | ')}`];
  }
  if (Array.isArray(s.enum) && !s.enum.some((item) => JSON.stringify(item) === JSON.stringify(value))) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) problems.push(`${at}: is not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.allOf)) for (const part of s.allOf as Schema[]) problems.push(...validate(part, value, root, at));
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((part) => validate(part, value, root, at).length === 0)) {
    problems.push(`${at}: matches none of anyOf`);
  }
  if (Array.isArray(s.oneOf) && (s.oneOf as Schema[]).filter((part) => validate(part, value, root, at).length === 0).length !== 1) {
    problems.push(`${at}: does not match exactly one of oneOf`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) problems.push(`${at}: ${value} < ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) problems.push(`${at}: ${value} > ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) problems.push(`${at}: ${value} ≤ ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) problems.push(`${at}: ${value} ≥ ${s.exclusiveMaximum}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) problems.push(`${at}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) problems.push(`${at}: longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern).test(value))
      problems.push(`${at}: ${JSON.stringify(value)} does not match ${s.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) problems.push(`${at}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) problems.push(`${at}: more than ${s.maxItems} items`);
    if (s.items !== undefined) value.forEach((item, i) => problems.push(...validate(s.items as Schema, item, root, `${at}[${i}]`)));
  }
  if (typeOk('object', value)) {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const key of (s.required ?? []) as string[]) if (!(key in object)) problems.push(`${at}: missing ${key}`);
    for (const [key, item] of Object.entries(object)) {
      if (s.propertyNames !== undefined) problems.push(...validate(s.propertyNames as Schema, key, root, `${at}{${key}}`));
      if (key in properties) problems.push(...validate(properties[key]!, item, root, `${at}.${key}`));
      else if (s.additionalProperties !== undefined)
        problems.push(...validate(s.additionalProperties as Schema, item, root, `${at}.${key}`));
    }
  }
  return problems;
}
