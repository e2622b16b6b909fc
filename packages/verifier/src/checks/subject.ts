import { SUBJECT_ALGORITHMS } from '@provenant/core/verification';
import type { Finding } from '../finding.ts';
import type { SubjectPolicy } from '../policy.ts';
import type { SubjectRef } from '../view/provenance-view.ts';

/** The artifact being verified, as digests: algorithm -> hex, e.g. `{ sha256: '…' }`. */
export interface ArtifactDigests {
  [algorithm: string]: string;
}

/**
 * Subjects that describe the artifact. A subject matches when it shares at least one accepted
 * algorithm (sha256, sha384, sha512) with the artifact and every shared one agrees (hex compared
 * lowercase). Weak algorithms (sha1, md5) are ignored, so a subject with only those never matches.
 */
export function matchingSubjects(subjects: readonly SubjectRef[], artifact: ArtifactDigests): SubjectRef[] {
  const wanted = acceptedDigests(artifact);
  return subjects.filter((s) => {
    let shared = 0;
    for (const [alg, hex] of wanted) {
      const value = s.digest[alg];
      if (value === undefined) continue;
      if (value.toLowerCase() !== hex) return false;
      shared++;
    }
    return shared > 0;
  });
}

/** The artifact must be one of the statement's subjects. */
export function verifySubjectDigest(subjects: readonly SubjectRef[], artifact: ArtifactDigests): Finding | undefined {
  const wanted = acceptedDigests(artifact);
  if (wanted.length === 0) {
    return {
      code: 'SUBJECT_DIGEST_MISMATCH',
      message: `the artifact has no ${SUBJECT_ALGORITHMS.join('/')} digest to compare with the subjects`,
      expected: SUBJECT_ALGORITHMS,
      actual: Object.keys(artifact),
    };
  }
  if (matchingSubjects(subjects, artifact).length > 0) return undefined;
  return {
    code: 'SUBJECT_DIGEST_MISMATCH',
    message: `the artifact (${wanted.map(([alg, hex]) => `${alg}:${hex}`).join(', ')}) is none of the ${subjects.length} subject${subjects.length === 1 ? '' : 's'} of the statement`,
    path: 'subject',
    expected: Object.fromEntries(wanted),
    actual: subjects.map((s) => s.digest),
  };
}

function acceptedDigests(artifact: ArtifactDigests): [string, string][] {
  const out: [string, string][] = [];
  for (const alg of SUBJECT_ALGORITHMS) {
    const hex = artifact[alg];
    if (typeof hex === 'string' && hex !== '') out.push([alg, hex.toLowerCase()]);
  }
  return out;
}

/**
 * Policy `subjects: { match: exactly, names }`: the statement covers exactly these artifacts, by
 * name: every name listed is a subject and no other subject is there (an unnamed subject counts as
 * another). Independent of the artifact being one of them (verifySubjectDigest).
 */
export function verifySubjectSet(subjects: readonly SubjectRef[], policy: SubjectPolicy | undefined): Finding | undefined {
  if (policy?.match !== 'exactly') return undefined;
  const expected = [...new Set(policy.names ?? [])].sort();
  const actual = subjects.map((s) => s.name ?? '').sort();
  const missing = expected.filter((n) => !actual.includes(n));
  const extra = actual.filter((n) => !expected.includes(n));
  const duplicated = actual.filter((n, i) => actual.indexOf(n) !== i);
  if (missing.length === 0 && extra.length === 0 && duplicated.length === 0) return undefined;
  const parts = [
    missing.length > 0 && `missing ${missing.join(', ')}`,
    extra.length > 0 && `not in the policy ${extra.map((n) => n || '(unnamed)').join(', ')}`,
    duplicated.length > 0 && `more than once ${[...new Set(duplicated)].map((n) => n || '(unnamed)').join(', ')}`,
  ].filter(Boolean);
  return {
    code: 'SUBJECT_SET_MISMATCH',
    message: `the statement's subjects are not exactly the ${expected.length} the policy names: ${parts.join('; ')}`,
    path: 'subject',
    expected,
    actual: subjects.map((s) => s.name ?? null),
  };
}
