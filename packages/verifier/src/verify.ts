import {
  type DigestSet,
  type LoadedAttestation,
  ProvenantError,
  SUBJECT_ALGORITHMS,
  type SubjectAlgorithm,
  digestBytes,
  digestFile,
  isSubjectAlgorithm,
  requireDigestRef,
} from '@provenant/core';
import type { ArtifactDigests } from './checks/subject.ts';
import { loadAttestationFile, parseAttestationText } from './load-attestations.ts';
import type { Policy } from './policy.ts';
import { parsePayloadJson } from './read-payload.ts';
import { toSignedContent } from './signed-content.ts';
import type { TrustMaterial } from './trust.ts';
import { type VerifyResult, verifyAttestation } from './verify-attestation.ts';
import { verifySigstoreBundle } from './verify-sigstore-bundle.ts';
import type { AdvisoryIndex } from './dependencies/advisory-index.ts';

/** The artifact: a file, bytes in memory, or a known digest (`sha256:<hex>`, or a digest set). */
export type ArtifactInput = { path: string } | { bytes: Uint8Array } | { digest: string | ArtifactDigests };

/** The attestations: a file (bundle, envelope or JSON Lines), its text, or already loaded ones. */
export type AttestationInput = { path: string } | { text: string; source?: string } | readonly LoadedAttestation[];

/** Input of verify. */
export interface VerifyInput {
  artifact: ArtifactInput;
  bundle: AttestationInput;
  trust: TrustMaterial;
  policy: Policy;
  /** The verification time; defaults to the current time. */
  now?: Date;
  /** OSV advisories to check the dependencies against (loadAdvisories). */
  advisories?: AdvisoryIndex;
}

/**
 * The I/O edge around verifyAttestation: reads and hashes the artifact, reads the attestations,
 * and verifies each one. With several (JSON Lines) the result is the first that passes; when none
 * does, it holds the findings of all, each path prefixed `attestations[i]`.
 * Throws ProvenantError only for unusable input (unreadable file, malformed bundle, bad digest).
 */
export async function verify(input: VerifyInput): Promise<VerifyResult> {
  const now = input.now ?? new Date();
  const options = input.advisories === undefined ? {} : { advisories: input.advisories };
  return verifyEach(input, (att, artifact) => verifyAttestation(att, artifact, input.trust, input.policy, now, options));
}

/** Input of verifySigstore: no policy, no time (only signed times count). */
export type SigstoreVerifyInput = Omit<VerifyInput, 'policy' | 'now' | 'advisories'>;

/**
 * The I/O edge around verifySigstoreBundle (the Sigstore conformance client protocol): the
 * artifact is what was signed (message digest, or an in-toto subject), with no provenance policy.
 * Reads, hashes and combines results as verify does.
 */
export async function verifySigstore(input: SigstoreVerifyInput): Promise<VerifyResult> {
  return verifyEach(input, (att, artifact) => verifySigstoreBundle(att, artifact, input.trust));
}

async function verifyEach(input: SigstoreVerifyInput, check: (att: LoadedAttestation, artifact: ArtifactDigests) => VerifyResult): Promise<VerifyResult> {
  const attestations = await loadAttestations(input.bundle);
  if (attestations.length === 0) throw new ProvenantError('BUNDLE_MALFORMED', 'no attestation to verify');
  const artifact = await artifactDigests(input.artifact, subjectAlgorithms(attestations));
  const results = attestations.map((att) => check(att, artifact));
  const passed = results.find((r) => r.ok);
  if (passed) return passed;
  if (results.length === 1) return results[0]!;
  return {
    ok: false,
    subjects: [],
    findings: results.flatMap((r, i) => r.findings.map((f) => ({ ...f, path: f.path === undefined ? `attestations[${i}]` : `attestations[${i}].${f.path}` }))),
  };
}

async function loadAttestations(input: AttestationInput): Promise<readonly LoadedAttestation[]> {
  if (Array.isArray(input)) return input as readonly LoadedAttestation[];
  const one = input as { path: string } | { text: string; source?: string };
  return 'path' in one ? loadAttestationFile(one.path) : parseAttestationText(one.text, one.source);
}

async function artifactDigests(input: ArtifactInput, algorithms: readonly SubjectAlgorithm[]): Promise<ArtifactDigests> {
  if ('digest' in input) {
    if (typeof input.digest !== 'string') return input.digest;
    const { algorithm, hex } = requireDigestRef(input.digest);
    return { [algorithm]: hex };
  }
  if ('bytes' in input) return digestBytes(input.bytes, algorithms);
  return (await digestFile(input.path, algorithms)).digest;
}

/**
 * The accepted algorithms the subjects use, so a file is hashed once with just those (npm
 * provenance names sha512 only, most others sha256; a message signature names its own). Read from
 * the unverified payloads only to choose what to hash; nothing here is trusted. Defaults to sha256.
 */
function subjectAlgorithms(attestations: readonly LoadedAttestation[]): SubjectAlgorithm[] {
  const found = new Set<SubjectAlgorithm>();
  for (const att of attestations) {
    const extracted = toSignedContent(att);
    if (!('content' in extracted)) continue;
    if (extracted.content.kind === 'message') {
      if (extracted.content.message.algorithm !== undefined) found.add(extracted.content.message.algorithm);
      continue;
    }
    const json = parsePayloadJson(extracted.content.envelope.payload);
    const subjects = json.ok ? (json.value as { subject?: unknown } | null)?.subject : undefined;
    if (!Array.isArray(subjects)) continue;
    for (const s of subjects) {
      const digest = (s as { digest?: DigestSet } | null)?.digest;
      if (digest && typeof digest === 'object') for (const alg of Object.keys(digest)) if (isSubjectAlgorithm(alg)) found.add(alg);
    }
  }
  return found.size === 0 ? ['sha256'] : SUBJECT_ALGORITHMS.filter((a) => found.has(a));
}
