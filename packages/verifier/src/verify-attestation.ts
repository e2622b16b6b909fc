import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation } from '@provenant/core';
import { verifyAge } from './checks/age.ts';
import { verifyBuildType } from './checks/build-type.ts';
import { verifyBuilderId } from './checks/builder.ts';
import { verifyPolicyUsable } from './checks/policy.ts';
import { verifyPredicateType } from './checks/predicate-type.ts';
import { type VerifiedSigner, verifyKeySignature } from './checks/signature.ts';
import { verifyRef, verifySourceUri } from './checks/source.ts';
import { type ArtifactDigests, matchingSubjects, verifySubjectDigest } from './checks/subject.ts';
import type { Finding } from './finding.ts';
import type { Policy } from './policy.ts';
import { parsePayloadJson } from './read-payload.ts';
import { toSignedEnvelope } from './signed-envelope.ts';
import type { TrustMaterial } from './trust.ts';
import type { ProvenanceView, SubjectRef } from './view/provenance-view.ts';
import { toProvenanceView } from './view/to-provenance-view.ts';

/** The outcome of verifying one attestation (or, from `verify`, a file of them). */
export interface VerifyResult {
  /** True only when a trusted key signed it and no finding was made. */
  ok: boolean;
  /** Every reason it failed, in the order the checks ran; empty when ok. */
  findings: Finding[];
  /** The subjects of the signed statement that match the artifact; empty unless the signature verified. */
  subjects: SubjectRef[];
  /**
   * The payload parsed as JSON, whenever it is JSON, for inspection. Untrusted unless `signer` is
   * set: after a failed signature it is shown, never checked.
   */
  statement?: unknown;
  /** The version-independent view of the statement; set only when the signature verified. */
  view?: ProvenanceView;
  /** The trusted key that verified a signature. */
  signer?: VerifiedSigner;
}

/**
 * Verifies one attestation against trust material and a policy. Pure and synchronous: the time is
 * `now`, the trust is `trust`, nothing is read from the clock, the environment or files, and a
 * failure is a result with findings, never an exception.
 *
 * Order: policy and trust are usable; the envelope is signed by a trusted key; then (only then)
 * the payload is read as an in-toto statement and checked: subject digest, predicate type,
 * builder, source, ref, build type, age. Every finding is collected before deciding.
 */
export function verifyAttestation(att: LoadedAttestation, artifact: ArtifactDigests, trust: TrustMaterial, policy: Policy, now: Date): VerifyResult {
  const findings = verifyPolicyUsable(policy);
  const policyUsable = findings.length === 0;
  if (trust.publicKeys.length === 0) {
    findings.push({ code: 'NO_TRUST_CONSTRAINT', message: 'no trusted key was given: without a key (or, later, a keyless identity) nothing can pass', expected: 'at least one trusted public key' });
  }
  const extracted = toSignedEnvelope(att);
  if ('finding' in extracted) return failed([...findings, extracted.finding]);
  const envelope = extracted.envelope;
  if (trust.publicKeys.length === 0) return failed(findings, envelope.payload);

  const signature = verifyKeySignature(envelope, trust);
  if (!signature.ok) return failed([...findings, signature.finding], envelope.payload);
  const signer = signature.signer;

  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    findings.push({
      code: 'PAYLOAD_TYPE_UNSUPPORTED',
      message: `payload type ${envelope.payloadType} is not an in-toto statement`,
      path: `${envelope.pathPrefix}payloadType`,
      expected: INTOTO_PAYLOAD_TYPE,
      actual: envelope.payloadType,
    });
    return { ok: false, findings, subjects: [], signer };
  }
  const json = parsePayloadJson(envelope.payload);
  if (!json.ok) {
    findings.push({ code: 'STATEMENT_INVALID', message: `the payload is not JSON: ${json.error}`, path: `${envelope.pathPrefix}payload` });
    return { ok: false, findings, subjects: [], signer };
  }
  const reading = toProvenanceView(json.value);
  if (reading.kind === 'unreadable') {
    findings.push(reading.finding);
    return { ok: false, findings, subjects: [], statement: json.value, signer };
  }
  const { view, predicateFinding } = reading;
  push(findings, verifySubjectDigest(view.subjects, artifact));
  if (policyUsable) push(findings, verifyPredicateType(view, policy));
  if (predicateFinding) findings.push(predicateFinding);
  else if (policyUsable) {
    push(findings, verifyBuilderId(view, policy.builder));
    push(findings, verifySourceUri(view, policy.source?.uris));
    push(findings, verifyRef(view, policy.source?.refs));
    push(findings, verifyBuildType(view, policy.buildTypes));
    push(findings, verifyAge(view, policy.maxAge, now));
  }
  return { ok: findings.length === 0, findings, subjects: matchingSubjects(view.subjects, artifact), statement: json.value, view, signer };
}

function failed(findings: Finding[], payload?: Buffer): VerifyResult {
  const result: VerifyResult = { ok: false, findings, subjects: [] };
  if (payload !== undefined) {
    const json = parsePayloadJson(payload);
    if (json.ok) result.statement = json.value;
  }
  return result;
}

function push(findings: Finding[], finding: Finding | undefined): void {
  if (finding !== undefined) findings.push(finding);
}
