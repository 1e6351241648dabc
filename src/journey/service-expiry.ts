/**
 * The rule of expiry (docs/API.md §6.3), written once for every query that needs it, whatever its placeholder
 * style: a service has expired when its `expires_at` has passed or, having none, when it was last active
 * longer than DEFAULT_EXPIRATION ago.
 */
export interface ExpiryBounds {
  now: number;
  /** `now` minus DEFAULT_EXPIRATION; undefined when there is no default. */
  staleBefore?: number;
}

export function expiryBounds(now: number, defaultExpirationMs: number | undefined): ExpiryBounds {
  return {
    now,
    staleBefore: defaultExpirationMs === undefined ? undefined : now - defaultExpirationMs,
  };
}

/** Returns the placeholder standing for `value` in the query being built (`?`, `:name`…). */
export type Bind = (value: number) => string;

/** The condition keeping the services (of table alias `alias`) that have not expired. */
export function liveServiceSql(alias: string, bounds: ExpiryBounds, bind: Bind): string {
  const expiresAt = `${alias}.expires_at`;
  if (bounds.staleBefore === undefined)
    return `(${expiresAt} IS NULL OR ${expiresAt} > ${bind(bounds.now)})`;
  return (
    `(${expiresAt} > ${bind(bounds.now)} OR ` +
    `(${expiresAt} IS NULL AND ${alias}.last_activity_at > ${bind(bounds.staleBefore)}))`
  );
}

/** The condition keeping the services (of table alias `alias`) that have expired. */
export function expiredServiceSql(alias: string, bounds: ExpiryBounds, bind: Bind): string {
  const expiresAt = `${alias}.expires_at`;
  if (bounds.staleBefore === undefined) return `${expiresAt} <= ${bind(bounds.now)}`;
  return (
    `(${expiresAt} <= ${bind(bounds.now)} OR ` +
    `(${expiresAt} IS NULL AND ${alias}.last_activity_at <= ${bind(bounds.staleBefore)}))`
  );
}

/** Binds values as positional `?` placeholders, collecting them in order. */
export function positional(values: unknown[]): Bind {
  return (value) => {
    values.push(value);
    return '?';
  };
}

/** Binds values as named `:expiry0`, `:expiry1`… placeholders (TypeORM's query builder), collecting them. */
export function named(values: Record<string, number>): Bind {
  return (value) => {
    const name = `expiry${Object.keys(values).length}`;
    values[name] = value;
    return `:${name}`;
  };
}
