import { unstorableCharacter } from './storable.js';

/** JSON bodies nest at most this many levels of objects and arrays (documented in the README's lead intake). */
export const MAX_JSON_DEPTH = 32;

export interface JsonProblem {
  /** Keys and indexes from the checked value down to the problem. */
  path: Array<string | number>;
  message: string;
}

/**
 * The first thing in a parsed JSON value that must not reach the database, or null: a string or key that
 * Postgres cannot store, a `__proto__` key (JavaScript objects, zod's records among them, silently drop it),
 * or nesting deeper than `maxDepth`. Walks with its own stack, never recursion, so a body nested 100,000
 * deep is refused instead of overflowing the call stack (as JSON.stringify would).
 */
export function jsonProblem(root: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const bad = unstorableCharacter(value);
      if (bad) return { path, message: `contains ${bad}, which cannot be stored` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    // `path.length` containers enclose this one; it is level path.length + 1.
    if (path.length >= maxDepth) return { path, message: `nests deeper than ${maxDepth} levels of objects and arrays` };
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
    for (const [key] of entries) {
      if (key === '__proto__') return { path: [...path, key], message: '"__proto__" is a reserved name and cannot be used as a key' };
      const bad = typeof key === 'string' ? unstorableCharacter(key) : null;
      if (bad) return { path, message: `has a key that contains ${bad}, which cannot be stored` };
    }
    // Pushed in reverse so problems are found in document order.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
  }
  return null;
}

/** A path the way the API's field errors name it: `leads.0.attributes.plan`, `(body)` for the whole body. */
export const pathText = (path: Array<string | number>) => path.join('.') || '(body)';
