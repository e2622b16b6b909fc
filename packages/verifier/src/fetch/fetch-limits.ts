/** A transfer that makes no progress for this long fails (DOWNLOAD_STALLED). */
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;
/** Redirects followed per download before TOO_MANY_REDIRECTS (curl and most clients allow more; a release download needs one or two). */
export const DEFAULT_MAX_REDIRECTS = 5;
/** Artifacts larger than this are refused (FILE_TOO_LARGE): a bound on the disk a hostile server can fill. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 4 * 1024 ** 3;

const SIZE = /^([0-9]{1,15})(?:([KMGT])(i?B)?|B)?$/i;
const SIZE_UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const TIMEOUT = /^([1-9][0-9]{0,9})(ms|s|m|h)$/;
const TIMEOUT_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A size: a number of bytes, or with a binary unit (`512K`, `100M`, `2G`, `1T`; `MiB`/`MB` read
 * the same, as 1024-based). Returns undefined for anything else, zero included.
 */
export function parseByteSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const bytes = Number(m[1]) * (m[2] === undefined ? 1 : SIZE_UNITS[m[2].toUpperCase()]!);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A duration as `300ms`, `30s`, `5m` or `1h` (a positive whole number and a unit), in milliseconds. */
export function parseTimeout(text: string): number | undefined {
  const m = TIMEOUT.exec(text.trim());
  return m ? Number(m[1]) * TIMEOUT_UNITS[m[2]!]! : undefined;
}
