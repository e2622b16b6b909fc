import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation } from '@provenant/core/verification';
import { verifyAge } from './checks/age.ts';
import { verifyBuildType } from './checks/build-type.ts';
import { verifyBuilderId } from './checks/builder.ts';
import { verifyBundleVersion } from './checks/bundle-version.ts';
import { verifyCertificateStatement } from './checks/certificate-statement.ts';
import { verifyBranch, verifyTag, verifyVersionedTag } from './checks/git-ref.ts';
import { githubBuilderTrustOf, verifyGitHubBuilderStatement } from './checks/github-builder.ts';
import { policyNeedsStatement, verifyPolicyUsable } from './checks/policy.ts';
import { verifyPredicateType } from './checks/predicate-type.ts';
import type { VerifiedSigner } from './checks/signature.ts';
import { messageSubject, payloadSubject, verifyMessageDigest, verifyPayloadIsArtifact } from './checks/signed-blob.ts';
import { verifySigner } from './checks/signer.ts';
import { verifyRef, verifySourceUri } from './checks/source.ts';
import { verifyExternalParameters } from './checks/external-parameters.ts';
import { type ArtifactDigests, matchingSubjects, verifySubjectDigest, verifySubjectSet } from './checks/subject.ts';
import { verifyWorkflowInputs } from './checks/workflow-inputs.ts';
import type { AdvisoryIndex } from './dependencies/advisory-index.ts';
import { checkDependencies } from './dependencies/check-dependencies.ts';
import type { Finding } from './finding.ts';
import type { Policy } from './policy.ts';
import { parsePayloadJson } from './read-payload.ts';
import { toSignedContent } from './signed-content.ts';
import type { TrustMaterial } from './trust.ts';
import type { ProvenanceView, SubjectRef } from './view/provenance-view.ts';
import { readPayloadStatement } from './view/to-provenance-view.ts';

/** The outcome of verifying one attestation (or, from `verify`, a file of them). */
export interface VerifyResult {
  /** True only when a trusted key or identity signed it and no finding was made. */
  ok: boolean;
  /** Every reason it failed, in the order the checks ran; empty when ok. */
  findings: Finding[];
  /**
   * The subjects of the signed statement that match the artifact (for a signed blob: the signed
   * digest); empty unless the signature verified.
   */
  subjects: SubjectRef[];
  /**
   * The payload parsed as JSON, whenever it is JSON, for inspection. Untrusted unless `signer` is
   * set: after a failed signature it is shown, never checked.
   */
  statement?: unknown;
  /** The version-independent view of the statement; set only when the signature verified. */
  view?: ProvenanceView;
  /** The trusted key, or the verified certificate identity, that signed. */
  signer?: VerifiedSigner;
}

/**
 * Verifies one attestation against trust material and a policy. Pure and synchronous: the time is
 * `now`, the trust is `trust`, nothing is read from the clock, the environment or files, and a
 * failure is a result with findings, never an exception.
 *
 * Order: policy and trust are usable; the content can answer the policy; the signer is trusted (a
 * key, or a certificate that verifies against a trusted root and matches an identity); then (only
 * then) the payload is read as an in-toto statement and checked: subject digest, predicate type,
 * the certificate against the statement, builder, source, ref, build type, age. A signed blob (a
 * message signature, or a DSSE payload that is not a statement) is checked against the artifact
 * only, and fails a policy that constrains a statement. Every finding is collected before deciding.
 */
/** Data a verification may use besides trust and policy. */
export interface VerifyOptions {
  /** Known vulnerabilities (loadAdvisories): a dependency one affects fails with DEPENDENCY_VULNERABLE. */
  advisories?: AdvisoryIndex;
  /**
   * Check only trust and the subject: the signer is trusted and the artifact is a subject of the
   * statement; nothing the policy says about the statement applies. For attestations other than
   * provenance that the policy requires (requiredAttestations), e.g. an SBOM.
   */
  evidenceOnly?: boolean;
}

export function verifyAttestation(att: LoadedAttestation, artifact: ArtifactDigests, trust: TrustMaterial, policy: Policy, now: Date, options: VerifyOptions = {}): VerifyResult {
  const findings = verifyPolicyUsable(policy);
  const policyUsable = findings.length === 0;
  const policyIdentities = policyUsable ? (policy.identities ?? []) : [];
  const githubBuilder = policyUsable ? githubBuilderTrustOf(policy) : undefined;
  const trusted = trust.publicKeys.length > 0 || trust.identities.length > 0 || policyIdentities.length > 0 || githubBuilder !== undefined;
  if (!trusted) {
    findings.push({
      code: 'NO_TRUST_CONSTRAINT',
      message: 'no trusted key or certificate identity was given: without one nothing can pass',
      expected: 'a trusted public key, a certificate identity (SAN and OIDC issuer), or a GitHub source repository (--source-uri)',
    });
  }
  const extracted = toSignedContent(att);
  if ('finding' in extracted) return failed([...findings, extracted.finding]);
  const content = extracted.content;
  const payload = content.kind === 'dsse' ? content.envelope.payload : undefined;
  if (content.kind === 'message' && policyUsable && policyNeedsStatement(policy)) {
    // Structural: a signed blob cannot answer a policy about a statement, whoever signed it.
    findings.push({
      code: 'PAYLOAD_TYPE_UNSUPPORTED',
      message: 'the bundle holds a message signature (a signed blob), not a DSSE envelope with an in-toto statement, and the policy constrains a statement',
      path: 'messageSignature',
      expected: 'dsseEnvelope',
      actual: 'messageSignature',
    });
    return failed(findings);
  }
  if (!trusted) return failed(findings, payload);
  if (policyUsable) push(findings, verifyBundleVersion(att, policy.minBundleVersion));
  if (content.kind === 'message') {
    const mismatch = verifyMessageDigest(content.message, artifact);
    if (mismatch) return failed([...findings, mismatch]);
  }

  const verified = verifySigner(att, content, artifact, trust, policyIdentities, githubBuilder);
  if (!verified.ok) return failed([...findings, ...verified.findings], payload);
  const signer = verified.signer;

  if (content.kind === 'message') return { ok: findings.length === 0, findings, subjects: messageSubject(content.message), signer };
  const envelope = content.envelope;
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    if (policyUsable && policyNeedsStatement(policy)) {
      findings.push({
        code: 'PAYLOAD_TYPE_UNSUPPORTED',
        message: `payload type ${envelope.payloadType} is not an in-toto statement, and the policy constrains a statement`,
        path: `${envelope.pathPrefix}payloadType`,
        expected: INTOTO_PAYLOAD_TYPE,
        actual: envelope.payloadType,
      });
      return { ok: false, findings, subjects: [], signer };
    }
    const mismatch = verifyPayloadIsArtifact(envelope, artifact);
    if (mismatch) return { ok: false, findings: [...findings, mismatch], subjects: [], signer };
    return { ok: findings.length === 0, findings, subjects: payloadSubject(envelope), signer };
  }
  const json = readPayloadStatement(envelope.payload);
  if (!json.ok) {
    findings.push({ code: 'STATEMENT_INVALID', message: `the payload is not JSON: ${json.error}`, path: `${envelope.pathPrefix}payload` });
    return { ok: false, findings, subjects: [], signer };
  }
  const reading = json.reading;
  if (reading.kind === 'unreadable') {
    findings.push(reading.finding);
    return { ok: false, findings, subjects: [], statement: json.value, signer };
  }
  const { view, predicateFinding } = reading;
  push(findings, verifySubjectDigest(view.subjects, artifact));
  if (options.evidenceOnly === true) return { ok: findings.length === 0, findings, subjects: matchingSubjects(view.subjects, artifact), statement: json.value, view, signer };
  if (policyUsable) push(findings, verifySubjectSet(view.subjects, policy.subjects));
  if (policyUsable) push(findings, verifyPredicateType(view, policy));
  if (signer.kind === 'certificate') findings.push(...verifyCertificateStatement(signer.identity, view));
  if (predicateFinding) findings.push(predicateFinding);
  else if (policyUsable) {
    push(findings, verifyBuilderId(view, policy.builder));
    if (githubBuilder !== undefined && signer.kind === 'certificate') findings.push(...verifyGitHubBuilderStatement(signer.identity, view, githubBuilder));
    push(findings, verifySourceUri(view, policy.source?.uris));
    push(findings, verifyRef(view, policy.source?.refs));
    push(findings, verifyBranch(view, policy.source?.branch));
    push(findings, verifyTag(view, policy.source?.tag));
    push(findings, verifyVersionedTag(view, policy.source?.versionedTag));
    findings.push(...verifyWorkflowInputs(view, policy.workflowInputs));
    push(findings, verifyBuildType(view, policy.buildTypes));
    findings.push(...verifyExternalParameters(view, policy.buildTypes));
    push(findings, verifyAge(view, policy.maxAge, now));
    if (policy.dependencies !== undefined || options.advisories !== undefined) {
      findings.push(...checkDependencies(view.dependencies, policy.dependencies, options.advisories, now, view.locations.dependencies));
    }
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
