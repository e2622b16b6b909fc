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
export { type VerifyOptions, type VerifyResult, verifyAttestation } from './verify-attestation.ts';
export { verifySigstoreBundle } from './verify-sigstore-bundle.ts';
export { type AttestationSummary, inspectAttestation } from './inspect-attestation.ts';
export type { SigningMaterial } from './signed-envelope.ts';
export { type ArtifactInput, type AttestationInput, type SigstoreVerifyInput, type VerifyInput, verify, verifySigstore } from './verify.ts';
export { type ProvenanceDiff, type ValueChange, diffProvenance } from './diff/diff-provenance.ts';
export type { DependencyDiff, DiffPackage, DigestChange, VersionChange } from './diff/dependency-diff.ts';
export type { EnvironmentChange } from './diff/environment-diff.ts';
export { type DependencyPolicy, DependencyPolicySchema, NON_REGISTRY_SOURCES, verifyDependencyPolicyUsable } from './dependencies/dependency-policy.ts';
export { DEPENDENCY_FINDING_CODES, type DependencyEntry, type DependencyFinding, checkDependencies, sourceKindOf } from './dependencies/check-dependencies.ts';
export { type Advisory, type AdvisoryIndex, type AdvisoryMatch, EMPTY_ADVISORY_INDEX, buildAdvisoryIndex, matchAdvisories } from './dependencies/advisory-index.ts';
export { MAX_ADVISORY_FILE_BYTES, MAX_ADVISORY_FILES, MAX_ADVISORY_TOTAL_BYTES, loadAdvisories, parseOsvRecord } from './dependencies/load-advisories.ts';
export { OSV_ECOSYSTEM_TO_PURL_TYPE, type OsvRecord, OsvRecordSchema } from './dependencies/osv-record.ts';
