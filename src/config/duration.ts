const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `14d`, `36h`, `90m`, `30s`, `2w`, or a plain number of seconds. */
export const DURATION = /^\d{1,9}\s*[smhdw]?$/;

/** Milliseconds of a duration written as DURATION accepts (the caller has validated it). */
export function durationMs(text: string): number {
  const match = /^(\d+)\s*([smhdw]?)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] || 's'];
}
