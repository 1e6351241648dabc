const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The labels of the time axis' ticks, in the browser's locale and its own hour cycle (17:50 or 5:50 PM,
 * never a 12-hour "05:50" without its half of the day): times of day with seconds only when the ticks are
 * less than a minute apart (and then with their minute), the date added where a day begins (and on the
 * first tick), dates alone when the ticks are a day or more apart, the year where it changes.
 * `locale` and `timeZone` default to the browser's.
 */
export function tickLabels(ticks: Date[], locale?: string, timeZone?: string): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? ticks[1].getTime() - ticks[0].getTime() : MINUTE;
  const zone = { timeZone };
  // A 24-hour clock reads 00:30, a 12-hour one 12:30 AM.
  const { hourCycle } = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions();
  const time = new Intl.DateTimeFormat(locale, {
    ...zone,
    hour: hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric',
    minute: '2-digit',
    ...(step < MINUTE ? { second: '2-digit' } : {}),
  });
  const day = new Intl.DateTimeFormat(locale, { ...zone, month: 'short', day: 'numeric' });
  const dayOfYear = new Intl.DateTimeFormat(locale, {
    ...zone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
  // The calendar day of a tick where it is shown (yyyy-mm-dd), to find where days and years begin.
  const dayKey = new Intl.DateTimeFormat('en-CA', {
    ...zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return ticks.map((tick, i) => {
    const key = dayKey.format(tick);
    const before = i > 0 ? dayKey.format(ticks[i - 1]) : undefined;
    const newYear = before !== undefined && key.slice(0, 4) !== before.slice(0, 4);
    if (step >= DAY) return (newYear ? dayOfYear : day).format(tick);
    const clock = time.format(tick);
    return key !== before ? `${(newYear ? dayOfYear : day).format(tick)}, ${clock}` : clock;
  });
}
