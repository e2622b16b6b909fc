// `@provenant/verifier/verify`: verifying files and digests with keys or keyless identities, and
// the slsa-verifier flag vocabulary, without the policy-file reader (yaml), the zod schemas or the
// other commands' code. `provenant verify` starts from this entry (about half the start-up of the
// full one) and loads the rest only when a --policy file or --advisories directory asks for it.
export { type ArtifactInput, type AttestationInput, type VerifyInput, type VerifyLoadedInput, verify, verifyLoaded } from './verify.ts';
export type { VerifyResult } from './verify-attestation.ts';
export { createTrust, type TrustMaterial, type TrustOptions } from './trust.ts';
export { type TrustedRootOptions, loadTrustedRoot, parseTrustedRootText } from './trusted-root.ts';
export { defaultTufCachePath, refreshTrustedRoot } from './refresh-trusted-root.ts';
export { loadAttestationFile } from './load-attestations.ts';
// `verify --batch`: its workers (batch-workers.ts loads worker_threads only, so that they can be
// started before the rest), the artifacts, the batch and the trust record.
export { type BatchWorkers, startBatchWorkers } from './batch/batch-workers.ts';
export { type BatchArtifact, resolveBatchTargets } from './batch/batch-targets.ts';
export { type BatchItem, type BatchReport, type VerifyBatchInput, verifyBatch } from './batch/verify-batch.ts';
export { readTrustRecordFile, writeTrustRecordFile } from './trust-record/trust-record-file.ts';
export type { AdvisoryIndex } from './dependencies/advisory-index.ts';
export { durationToMs } from './duration.ts';
export { parseTimeout } from './fetch/fetch-limits.ts';
export { builderConstraintOf, parseBuilderId } from './builder-id.ts';
export { normaliseSourceUri, sourceUriFromSlsaVerifier } from './source-uri.ts';
export { parseVersionedTag } from './versioned-tag.ts';
export type { Policy } from './policy.ts';
export type { IdentityPolicy } from './identity-policy.ts';
