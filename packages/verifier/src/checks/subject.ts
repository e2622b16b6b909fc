import { SUBJECT_ALGORITHMS } from '@provenant/core';
import type { Finding } from '../finding.ts';
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
