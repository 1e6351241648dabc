import { ErrorDetailDto } from '../errors/error-response.dto';

/** Keys that would reach object prototypes (class-transformer silently drops them): always refused. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `services` + `0` → `services[0]`; `service` + `customer_id` → `service.customer_id`. */
export function joinPath(parent: string, key: string, parentIsArray: boolean): string {
  if (parentIsArray) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * One iterative pass over a parsed JSON body before any recursive code sees it: finds prototype keys and
 * nesting so deep that it could only be an attack (and would overflow the stack of recursive walkers).
 */
export function screenJson(body: unknown, maxDepth: number): ErrorDetailDto | undefined {
  const stack: [unknown, string, number][] = [[body, '', 0]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) {
      return { path: path || 'body', problem: `is nested more than ${maxDepth} levels deep` };
    }
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const childPath = joinPath(path, key, isArray);
      if (RESERVED_KEYS.has(key))
        return { path: childPath, problem: 'is a reserved name and cannot be used' };
      stack.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}
