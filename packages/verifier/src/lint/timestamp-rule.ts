import { type LintIssue, lintIssue, show } from './lint-issue.ts';

// RFC 3339 section 5.6 `date-time`; `T` and `Z` may be lowercase (section 5.6, note).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An in-toto Timestamp "MUST be in RFC 3339 format in the UTC timezone ("Z")" (field_types.md):
 * anything else is TIMESTAMP_INVALID, and a valid RFC 3339 time with a numeric offset (even
 * `+00:00`) is TIMESTAMP_NOT_UTC. Returns no issue for an unset value.
 */
export function lintTimestamp(value: unknown, path: string): LintIssue[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') return [lintIssue('TIMESTAMP_INVALID', path, `a timestamp is an RFC 3339 string, not ${show(value)}`)];
  const m = DATE_TIME.exec(value);
  if (!m || !inRange(m)) {
    return [lintIssue('TIMESTAMP_INVALID', path, `${show(value)} is not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ssZ, seconds required)`)];
  }
  const offset = m[7]!;
  if (offset.toUpperCase() !== 'Z') {
    return [lintIssue('TIMESTAMP_NOT_UTC', path, `${show(value)} has the offset ${offset}; in-toto timestamps are in UTC, written with "Z"`)];
  }
  return [];
}

function inRange(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offset = m[7]!;
  if (offset.length === 6 && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return false;
  // Second 60 is a leap second, which RFC 3339 allows.
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 60;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
