/** How a pre-flight check came out. FAIL: the publish or signing would fail, or leak. */
export type DoctorLevel = 'OK' | 'WARN' | 'FAIL';

/** One pre-flight check's result: one line for a person, data for a program. */
export interface DoctorCheck {
  level: DoctorLevel;
  /** Stable name of the check: `id-token`, `runner`, `repository-url`, `transparency-log`, `subjects`, `lockfile`. */
  check: string;
  /** What was found. Never a secret: URLs have their credentials removed, tokens are never shown. */
  what: string;
  /** What to do about it (WARN and FAIL). */
  fix?: string;
}

/** `OK|WARN|FAIL <check>: <what> — <fix>`: the line `provenant doctor` prints. */
export function formatDoctorCheck(c: DoctorCheck): string {
  return `${c.level} ${c.check}: ${c.what}${c.fix ? ` — ${c.fix}` : ''}`;
}
