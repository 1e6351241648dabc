/**
 * The rule of "active" and of "the latest active" (docs/API.md §3, §6.1), written once for every query that
 * needs them, whatever builds the query: a service, state or task is active while it has no `completed_at`;
 * among several active ones the latest is the most recently started, then the highest id (plain starts may
 * make twins).
 */

/** `alias.column`, or the bare column when the query has one table and no alias. */
const qualified = (alias: string | undefined, column: string) =>
  alias ? `${alias}.${column}` : column;

/** The condition keeping active rows (of table alias `alias`). */
export function activeSql(alias?: string): string {
  return `${qualified(alias, 'completed_at')} IS NULL`;
}

/** The condition keeping completed rows (of table alias `alias`). */
export function completedSql(alias?: string): string {
  return `${qualified(alias, 'completed_at')} IS NOT NULL`;
}

/** The ordering that puts the latest row first: the active one composite start and its twins' finds pick. */
export const LATEST_FIRST = 'started_at DESC, id DESC';
