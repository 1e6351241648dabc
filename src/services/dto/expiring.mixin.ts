import { CountField, TimestampField } from '../../validation/field.decorators';

// TypeScript requires a mixin's base constructor to take `...args: any[]`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DtoClass = new (...args: any[]) => object;

export const MAX_SECONDS = 2_147_483_647;

/** Adds a service's expiration fields (docs/API.md §6.3) to a body: `ttl` wins over `expiration_time`. */
export function Expiring<T extends DtoClass>(Base: T) {
  class ExpiringDto extends Base {
    @CountField({ max: MAX_SECONDS, description: 'Seconds until the service expires' })
    ttl?: number;

    @TimestampField({ description: 'When the service expires (ignored when ttl is given)' })
    expiration_time?: string;
  }
  return ExpiringDto;
}
