import { parseIsoTimestamp } from './iso-timestamp';

describe('parseIsoTimestamp', () => {
  it.each([
    ['2026-11-27T15:23:34.447Z', Date.UTC(2026, 10, 27, 15, 23, 34, 447)],
    ['2026-11-27T15:23:34Z', Date.UTC(2026, 10, 27, 15, 23, 34)],
    ['2026-11-27T17:23:34.447+02:00', Date.UTC(2026, 10, 27, 15, 23, 34, 447)],
    ['2026-11-27T01:00:00+02:00', Date.UTC(2026, 10, 26, 23, 0)],
    ['2026-02-28T23:30:00-01:00', Date.UTC(2026, 2, 1, 0, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['2026-12-31T23:59:59.999-14:00', Date.UTC(2027, 0, 1, 13, 59, 59, 999)],
  ])('reads %s', (value, epochMs) => {
    expect(parseIsoTimestamp(value)).toBe(epochMs);
  });

  it.each([
    ['a day that does not exist', '2026-02-30T00:00:00Z'],
    ['February 29th of a common year', '2025-02-29T12:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-11-27T24:00:00Z'],
    ['minute 60', '2026-11-27T15:60:00Z'],
    ['second 60', '2026-11-27T15:23:60Z'],
    ['day 0', '2026-11-00T15:23:34Z'],
    ['April 31st', '2026-04-31T15:23:34Z'],
    ['a zone minute of 60', '2026-11-27T15:23:34+01:60'],
    ['February 29th of 1900', '1900-02-29T00:00:00Z'],
    ['a space instead of T', '2026-11-27 15:23:34Z'],
    ['words', 'yesterday'],
    ['a missing zone', '2026-11-27T15:23:34.447'],
    ['more than 3 fraction digits', '2026-11-27T15:23:34.4471Z'],
    ['an empty string', ''],
  ])('rejects %s', (_, value) => {
    expect(parseIsoTimestamp(value)).toBeUndefined();
  });
});
