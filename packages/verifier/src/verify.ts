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
} from '@provenant/core/verification';
import type { ArtifactDigests } from './checks/subject.ts';
import { DEFAULT_PREDICATE_TYPES } from './policy.ts';
import { missingAttestations } from './required-attestations.ts';
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
 * does, it holds the findings of all, each path prefixed `attestations[i]`. With the policy's
 * `requiredAttestations`, see withRequiredAttestations.
 * Throws ProvenantError only for unusable input (unreadable file, malformed bundle, bad digest).
 */
export async function verify(input: VerifyInput): Promise<VerifyResult> {
  const { attestations, artifact } = await readInput(input);
  return verifyLoaded({ ...input, attestations, artifact }).result;
}

/** Input of verifyLoaded: attestations already read, the artifact as digests. */
export type VerifyLoadedInput = Omit<VerifyInput, 'artifact' | 'bundle'> & { attestations: readonly LoadedAttestation[]; artifact: ArtifactDigests };

/**
 * verify's decision over attestations already in memory (an image's, read from a registry), with
 * each attestation's own full result beside it so a report can say which one satisfied the policy.
 */
export function verifyLoaded(input: VerifyLoadedInput): { result: VerifyResult; each: VerifyResult[] } {
  const now = input.now ?? new Date();
  const options = input.advisories === undefined ? {} : { advisories: input.advisories };
  const { attestations, artifact } = input;
  const full = attestations.map((att) => verifyAttestation(att, artifact, input.trust, input.policy, now, options));
  const required = input.policy.requiredAttestations;
  if (required === undefined) return { result: combine(full.map((r, i) => [i, r] as const)), each: full };
  const evidence = attestations.map((att, i) => (full[i]!.ok ? full[i]! : verifyAttestation(att, artifact, input.trust, input.policy, now, { ...options, evidenceOnly: true })));
  return { result: withRequiredAttestations(required, input.policy.predicateTypes ?? DEFAULT_PREDICATE_TYPES, full, evidence), each: full };
}

/**
 * Policy `requiredAttestations`, over every attestation given: the provenance (an attestation of
 * an accepted predicate type) must pass the whole policy, as without the field; an attestation of
 * another type that verifies for trust and subject (`evidence`) counts for its predicate type and
 * is otherwise left out; each required type must then be among the attestations that verified
 * for trust and subject (a provenance failing the rest of the policy fails on its own findings). Pure.
 */
export function withRequiredAttestations(required: readonly string[], provenanceTypes: readonly string[], full: readonly VerifyResult[], evidence: readonly VerifyResult[]): VerifyResult {
  const other = (i: number) => evidence[i]?.ok === true && evidence[i].view !== undefined && !provenanceTypes.includes(evidence[i].view.predicateType);
  // Present: verified for trust and subject. A provenance that fails the rest of the policy is
  // present but fails on its own findings, not as missing.
  const verified = evidence.flatMap((r) => (r.ok && r.view !== undefined ? [r.view.predicateType] : []));
  const pool = full.map((r, i) => [i, r] as const).filter(([i]) => !other(i));
  const missing = missingAttestations(required, verified);
  if (pool.length === 0) {
    // Only other attestations: the provenance itself is missing, whatever the required list says.
    const provenance = { code: 'ATTESTATION_MISSING' as const, message: `no provenance attestation (predicate type ${provenanceTypes.join(' or ')}) among the attestations`, path: 'predicateType', expected: [...provenanceTypes], actual: verified };
    return { ok: false, subjects: [], findings: missing.some((f) => provenanceTypes.includes(f.expected as string)) ? missing : [provenance, ...missing] };
  }
  const primary = combine(pool);
  if (primary.ok && missing.length === 0) return primary;
  return { ...primary, ok: false, findings: [...(primary.ok ? [] : primary.findings), ...missing] };
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
  const { attestations, artifact } = await readInput(input);
  return combine(attestations.map((att, i) => [i, check(att, artifact)] as const));
}

async function readInput(input: SigstoreVerifyInput): Promise<{ attestations: readonly LoadedAttestation[]; artifact: ArtifactDigests }> {
  const attestations = await loadAttestations(input.bundle);
  if (attestations.length === 0) throw new ProvenantError('BUNDLE_MALFORMED', 'no attestation to verify');
  return { attestations, artifact: await artifactDigests(input.artifact, subjectAlgorithms(attestations)) };
}

/** The first result that passes; else the only one; else the findings of all, each path prefixed `attestations[i]`. */
function combine(results: readonly (readonly [number, VerifyResult])[]): VerifyResult {
  const passed = results.find(([, r]) => r.ok);
  if (passed) return passed[1];
  if (results.length === 1) return results[0]![1];
  return {
    ok: false,
    subjects: [],
    findings: results.flatMap(([i, r]) => r.findings.map((f) => ({ ...f, path: f.path === undefined ? `attestations[${i}]` : `attestations[${i}].${f.path}` }))),
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
