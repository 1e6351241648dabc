/**
 * Timestamps as the API takes them (docs/API.md §2.1): ISO 8601 with an explicit zone, read to epoch milliseconds.
 */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Epoch milliseconds of an ISO 8601 timestamp with an explicit zone, or undefined if it is not one. Every
 * field is checked against the calendar and the clock: Date.parse alone rolls 2026-02-30 over to March.
 * It runs for every timestamp of every body, so it reads the fields from one match rather than printing
 * the date back.
 */
export function parseIsoTimestamp(value: string): number | undefined {
  const fields = ISO_TIMESTAMP.exec(value);
  if (!fields) return undefined;
  const [, year, month, day, hour, minute, second, zoneHours, zoneMinutes] = fields.map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (fields[8] !== undefined && (zoneHours > 23 || zoneMinutes > 59)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
