import { ClassType, declaredFields } from './extensions';

/**
 * JSON `null` in a field a DTO declares means the field was not sent (docs/API.md §2.1): Java clients
 * (Jackson) write `null` for every unset field. Removed from the DTO before validation, so an optional field
 * is absent and a required one is refused as missing, naming it. Extension values are data and keep their
 * nulls: only the DTOs' own fields, at every level of nesting, are looked at.
 */
export function dropNullFields(dto: unknown): void {
  if (Array.isArray(dto)) {
    for (const item of dto) dropNullFields(item);
    return;
  }
  if (typeof dto !== 'object' || dto === null || dto.constructor === Object) return;
  const fields = dto as Record<string, unknown>;
  for (const field of declaredFields(dto.constructor as ClassType)) {
    const value = fields[field];
    if (value === null) delete fields[field];
    else if (typeof value === 'object') dropNullFields(value);
  }
}
