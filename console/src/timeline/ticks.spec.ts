import { tickLabels } from './ticks';

const at = (iso: string) => new Date(iso);
const every = (from: string, stepMs: number, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(from) + i * stepMs));

describe('time axis labels', () => {
  it('follow the locale and its hour cycle: 17:50 in German, 5:50 PM in American English', () => {
    const ticks = every('2026-12-04T17:40:00Z', 10 * 60_000, 3);
    expect(tickLabels(ticks, 'de-DE', 'UTC')).toEqual(['4. Dez., 17:40', '17:50', '18:00']);
    expect(tickLabels(ticks, 'en-US', 'UTC')).toEqual(['Dec 4, 5:40 PM', '5:50 PM', '6:00 PM']);
  });

  it('give seconds their minute when the ticks are seconds apart', () => {
    const ticks = every('2026-12-04T17:50:36Z', 1000, 2);
    expect(tickLabels(ticks, 'de-DE', 'UTC')).toEqual(['4. Dez., 17:50:36', '17:50:37']);
  });

  it('add the date where a day begins, and show dates alone (the year where it changes) a day apart', () => {
    const hours = every('2026-12-04T22:00:00Z', 3_600_000, 3);
    expect(tickLabels(hours, 'en-US', 'UTC')).toEqual([
      'Dec 4, 10:00 PM',
      '11:00 PM',
      'Dec 5, 12:00 AM',
    ]);
    const days = [
      at('2026-12-30T00:00:00Z'),
      at('2026-12-31T00:00:00Z'),
      at('2027-01-01T00:00:00Z'),
    ];
    expect(tickLabels(days, 'en-US', 'UTC')).toEqual(['Dec 30', 'Dec 31', 'Jan 1, 2027']);
  });

  it('count days in the time zone shown, not in UTC', () => {
    // 23:30 UTC is already the next day in Paris.
    const ticks = every('2026-12-04T22:30:00Z', 3_600_000, 2);
    expect(tickLabels(ticks, 'en-GB', 'Europe/Paris')).toEqual(['4 Dec, 23:30', '5 Dec, 00:30']);
  });
});
