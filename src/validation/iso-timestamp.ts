/**
 * Timestamps as the API takes them (docs/API.md §2.1): ISO 8601 with an explicit zone, read to epoch milliseconds.
 */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO 8601 timestamp with an explicit zone, or undefined if it is not one. */
export function parseIsoTimestamp(value: string): number | undefined {
  if (!ISO_TIMESTAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: reject dates whose fields do not survive the round trip.
  const [date] = value.split('T');
  const offsetFree = new Date(ms + zoneOffsetMs(value)).toISOString().slice(0, 10);
  return offsetFree === date ? ms : undefined;
}

function zoneOffsetMs(value: string): number {
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(value);
  if (!zone) return 0;
  const minutes = Number(zone[2]) * 60 + Number(zone[3]);
  return (zone[1] === '+' ? 1 : -1) * minutes * 60_000;
}
