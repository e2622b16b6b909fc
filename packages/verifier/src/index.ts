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
export { type BuildTypeRule, DEFAULT_PREDICATE_TYPES, type Policy, type SubjectPolicy } from './policy.ts';
export { PolicyFileSchema, type PolicyFile, parsePolicy } from './policy-file.ts';
export { durationToMs } from './duration.ts';
export { normaliseSourceUri, sourceUriFromSlsaVerifier, splitGitUri } from './source-uri.ts';
export { type BuilderIdParts, builderConstraintOf, builderIdMatches, parseBuilderId } from './builder-id.ts';
export { type VersionedTag, parseVersionedTag, versionedTagMatches } from './versioned-tag.ts';
export {
  GITHUB_ACTIONS_ISSUER,
  GITHUB_HOSTED_RUNNER_BUILDER,
  GITHUB_RUNNER_BUILDERS,
  TRUSTED_DELEGATORS,
  TRUSTED_REUSABLE_WORKFLOWS,
} from './github-builders.ts';
export { PUBLIC_GOOD_TUF_MIRROR, type TrustedRootRefreshOptions, defaultTufCachePath, refreshTrustedRoot } from './refresh-trusted-root.ts';
export type { ArtifactDigests } from './checks/subject.ts';
export type { VerifiedSigner } from './checks/signature.ts';
export type { DependencyRef, ProvenanceView, SourceRef, SubjectRef, ViewLocations } from './view/provenance-view.ts';
export { toProvenanceView, type StatementReading } from './view/to-provenance-view.ts';
export { GITHUB_WORKFLOW_BUILD_TYPE, PROVENANT_CI_BUILD_TYPE, SLSA_GITHUB_GENERATOR_BUILD_TYPE } from './view/slsa-v1-source.ts';
export { type VerifyOptions, type VerifyResult, verifyAttestation } from './verify-attestation.ts';
export { verifySigstoreBundle } from './verify-sigstore-bundle.ts';
export { type AttestationSummary, inspectAttestation } from './inspect-attestation.ts';
export type { SigningMaterial } from './signed-envelope.ts';
export { type ArtifactInput, type AttestationInput, type SigstoreVerifyInput, type VerifyInput, type VerifyLoadedInput, verify, verifyLoaded, verifySigstore } from './verify.ts';
export { type ImageAttestationResult, type ImageVerifyResult, type VerifyImageInput, verifyImage } from './image/verify-image.ts';
export { loadAttestationFile, parseAttestationText } from './load-attestations.ts';
export { type ProvenanceDiff, type ValueChange, diffProvenance } from './diff/diff-provenance.ts';
export type { DependencyDiff, DiffPackage, DigestChange, VersionChange } from './diff/dependency-diff.ts';
export type { EnvironmentChange } from './diff/environment-diff.ts';
export { type DependencyPolicy, DependencyPolicySchema, NON_REGISTRY_SOURCES, verifyDependencyPolicyUsable } from './dependencies/dependency-policy.ts';
export { DEPENDENCY_FINDING_CODES, type DependencyEntry, type DependencyFinding, checkDependencies, sourceKindOf } from './dependencies/check-dependencies.ts';
export { type Advisory, type AdvisoryIndex, type AdvisoryMatch, EMPTY_ADVISORY_INDEX, buildAdvisoryIndex, matchAdvisories } from './dependencies/advisory-index.ts';
export { MAX_ADVISORY_FILE_BYTES, MAX_ADVISORY_FILES, MAX_ADVISORY_TOTAL_BYTES, loadAdvisories, parseOsvRecord } from './dependencies/load-advisories.ts';
export { OSV_ECOSYSTEM_TO_PURL_TYPE, type OsvRecord, OsvRecordSchema } from './dependencies/osv-record.ts';
export { FETCH_FINDING_CODES, type FetchFinding, type FetchResult, type FetchVerifiedOptions, fetchVerified } from './fetch/fetch-verified.ts';
export { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_ARTIFACT_BYTES, DEFAULT_MAX_REDIRECTS, parseByteSize, parseTimeout } from './fetch/fetch-limits.ts';
export { LINT_CODES, type LintCode, type LintIssue, type LintSeverity } from './lint/lint-issue.ts';
export { lintAttestation, lintText } from './lint/lint-attestation.ts';
export { type BuildLevel, type BuildLevelResult, type TrustedBuilder, buildLevelName, computeBuildLevel } from './level/build-level.ts';
export { type SignerConstraint, signerMatches } from './level/signer-constraint.ts';
export { type BuiltVsa, PROVENANT_VERIFIER_ID, VSA_SLSA_VERSION, type VsaInput, buildVsa } from './vsa/build-vsa.ts';
export { type VsaExpectations, type VsaVerifyResult, verifyVsa } from './vsa/verify-vsa.ts';
export { levelsSatisfy, parseSlsaLevel } from './vsa/slsa-result.ts';
export { type ObservedProvenance, type TrustRecord, type TrustRecordEntry, checkDowngrade, emptyTrustRecord, observedProvenance, parseTrustRecord, recordAccepted } from './trust-record/trust-record.ts';
export { readTrustRecordFile, writeTrustRecordFile } from './trust-record/trust-record-file.ts';
export { type BatchArtifact, parseManifest, resolveBatchTargets } from './batch/batch-targets.ts';
export { type BatchItem, type BatchReport, type VerifyBatchInput, listAttestationFiles, verifyBatch } from './batch/verify-batch.ts';
export { type BatchWorkers, startBatchWorkers } from './batch/batch-workers.ts';
export type { UnreadableBundle } from './batch/batch-engine.ts';
export { type IntegrityStatus, type NpmPackageRef, type NpmPackageResult, type NpmReport, type ProvenanceStatus, type VerifyNpmInput, verifyNpmPackages } from './npm-install/verify-npm-packages.ts';
export { attestationPaths as npmAttestationPaths, tarballPaths as npmTarballPaths } from './npm-install/npm-package-files.ts';
export { type PolicyInitOptions, initPolicy } from './policy-init.ts';
export { type PolicyLintProblem, lintPolicy } from './policy-lint.ts';
