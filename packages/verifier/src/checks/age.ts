import { durationToMs } from '../duration.ts';
import type { Finding } from '../finding.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/** How far in the future a build time may lie before it is refused: clocks of CI runners drift. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * The build must have finished (else started) no longer than `maxAge` before `now`. A build time
 * that is missing, unreadable or more than CLOCK_SKEW_MS in the future fails: its age cannot be
 * established.
 */
export function verifyAge(view: ProvenanceView, maxAge: string | number | undefined, now: Date): Finding | undefined {
  if (maxAge === undefined) return undefined;
  const maxMs = durationToMs(maxAge);
  if (maxMs === undefined) return undefined; // reported as POLICY_INVALID
  const text = view.finishedOn ?? view.startedOn;
  const at = text === undefined ? Number.NaN : Date.parse(text);
  const path = view.locations.time ?? 'predicate';
  if (Number.isNaN(at)) {
    return {
      code: 'ATTESTATION_TOO_OLD',
      message: `maxAge is ${maxAge} but the age of the build cannot be established: the predicate records no ${text === undefined ? 'finish or start time' : 'readable time'}`,
      path,
      expected: maxAge,
      actual: text,
    };
  }
  const age = now.getTime() - at;
  if (age < -CLOCK_SKEW_MS) {
    return {
      code: 'ATTESTATION_TOO_OLD',
      message: `the build time ${text} is ${formatMs(-age)} after now (${now.toISOString()}): its age cannot be established`,
      path,
      expected: maxAge,
      actual: text,
    };
  }
  if (age <= maxMs) return undefined;
  return {
    code: 'ATTESTATION_TOO_OLD',
    message: `the build at ${text} is ${formatMs(age)} old, more than maxAge ${maxAge}`,
    path,
    expected: maxAge,
    actual: text,
  };
}

function formatMs(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
