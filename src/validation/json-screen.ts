import { ErrorDetailDto } from '../errors/error-response.dto';
import { asFieldValue, isExactNumber, isRepresentable } from '../json/exact-json';

/**
 * The one key that could reach an object's prototype when a parsed body is copied by assignment: refused
 * anywhere. (`constructor` and `prototype` are plain data inside extension values; as names of fields or
 * extensions they are refused by the extension name rule.)
 */
const PROTOTYPE_KEY = '__proto__';

/** A UTF-16 surrogate without its pair: text no UTF-8 column can store as it was sent. */
const LONE_SURROGATE = /\p{Cs}/u;

/** `services` + `0` → `services[0]`; `service` + `customer_id` → `service.customer_id`. */
export function joinPath(parent: string, key: string, parentIsArray: boolean): string {
  if (parentIsArray) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * One iterative pass over a parsed JSON body before any recursive code sees it: finds the prototype key,
 * numbers too large to write back, broken Unicode in any key or string (which a database would store altered, so that two different keys
 * could become one), and nesting so deep that it could only be an attack (and would overflow the stack of
 * recursive walkers).
 */
export interface Screening {
  /** The first problem found, if any. */
  problem?: ErrorDetailDto;
  /** Whether some key is a name that objects inherit (`constructor`, `toString`…). */
  inheritedNames: boolean;
  /** Whether some number keeps its text (an `ExactNumber`). */
  exactNumbers: boolean;
}

export function screenJson(body: unknown, maxDepth: number): Screening {
  const stack: [unknown, string, number][] = [[body, '', 0]];
  let inheritedNames = false;
  let exactNumbers = false;
  const refused = (path: string, problem: string): Screening => ({
    problem: { path: path || 'body', problem },
    inheritedNames,
    exactNumbers,
  });
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      return refused(path, 'is not valid Unicode (it has a lone surrogate)');
    }
    if (isExactNumber(value)) {
      // `1e400` is beyond ±1.8e308: no client reading JSON into doubles could read it back.
      if (!isRepresentable(value)) {
        return refused(path, 'is a number too large for JSON to carry (beyond ±1.8e308)');
      }
      exactNumbers = true;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return refused(path, `is nested more than ${maxDepth} levels deep`);
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const childPath = joinPath(path, key, isArray);
      if (key === PROTOTYPE_KEY) return refused(childPath, 'is a reserved name and cannot be used');
      if (LONE_SURROGATE.test(key))
        return refused(childPath, 'is not valid Unicode (it has a lone surrogate)');
      if (INHERITED.has(key)) inheritedNames = true;
      stack.push([child, childPath, depth + 1]);
    }
  }
  return { inheritedNames, exactNumbers };
}

/** The names every object inherits, and `prototype`: data inside extension values. */
export const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The parsed body as class-transformer should read it: without keys that objects inherit, at any depth
 * (class-transformer reads them as the object's own machinery, and fails on them), and with every
 * `ExactNumber` as the number a field reads (`asFieldValue`). Both are put back afterwards, from
 * the parsed body, where they belong: in extension values. The body itself when it has neither.
 */
export function plainView(value: unknown, screening: Screening): unknown {
  if (!screening.inheritedNames && !screening.exactNumbers) return value;
  return copied(value);
}

function copied(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copied);
  if (isExactNumber(value)) return asFieldValue(value);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !INHERITED.has(key))
      .map(([key, child]) => [key, copied(child)]),
  );
}
