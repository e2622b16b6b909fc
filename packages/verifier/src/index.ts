export { FINDING_CODES, type Finding, type FindingCode } from './finding.ts';
export { createTrust, type KeyVerification, type TrustMaterial, type TrustOptions, type TrustedKey } from './trust.ts';
export {
  type SigstoreRoot,
  type TrustedRootInput,
  type TrustedRootOptions,
  type TrustedRootSource,
  type VerifierThresholds,
  loadTrustedRoot,
  parseTrustedRootText,
} from './trusted-root.ts';
export { type IdentityPolicy, identityProblems } from './identity-policy.ts';
export { FULCIO_EXTENSIONS, type FulcioExtensionName, type FulcioExtensions, isFulcioExtensionName } from './fulcio-extensions.ts';
export type { CertificateIdentity } from './certificate-identity.ts';
export { DEFAULT_PREDICATE_TYPES, type Policy } from './policy.ts';
export { PolicyFileSchema, type PolicyFile, parsePolicy } from './policy-file.ts';
export { durationToMs } from './duration.ts';
export { normaliseSourceUri, splitGitUri } from './source-uri.ts';
export type { ArtifactDigests } from './checks/subject.ts';
export type { VerifiedSigner } from './checks/signature.ts';
export type { DependencyRef, ProvenanceView, SourceRef, SubjectRef, ViewLocations } from './view/provenance-view.ts';
export { toProvenanceView, type StatementReading } from './view/to-provenance-view.ts';
export { GITHUB_WORKFLOW_BUILD_TYPE, PROVENANT_CI_BUILD_TYPE, SLSA_GITHUB_GENERATOR_BUILD_TYPE } from './view/slsa-v1-source.ts';
export { type VerifyResult, verifyAttestation } from './verify-attestation.ts';
export { verifySigstoreBundle } from './verify-sigstore-bundle.ts';
export { type AttestationSummary, inspectAttestation } from './inspect-attestation.ts';
export type { SigningMaterial } from './signed-envelope.ts';
export { type ArtifactInput, type AttestationInput, type SigstoreVerifyInput, type VerifyInput, verify, verifySigstore } from './verify.ts';
export { type ProvenanceDiff, diffProvenance } from './diff/diff-provenance.ts';
