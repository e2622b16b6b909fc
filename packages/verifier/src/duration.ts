const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** The text form of a duration: a positive whole number followed by s, m, h or d. */
export const DURATION_PATTERN = /^([1-9][0-9]{0,9})([smhd])$/;

/**
 * Converts a policy duration (`30d`, `12h`, `90m`, `3600s`, or a positive whole number of seconds)
 * to milliseconds. Returns undefined for anything else, so callers decide how to report it.
 */
export function durationToMs(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? value * 1000 : undefined;
  }
  const m = DURATION_PATTERN.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2]!]! * 1000;
}
