// `@provenant/core/verification`: what verifying an attestation needs from core, without zod,
// the schemas or the signing code. Verification worker threads load this entry only, so they
// start sooner (`@provenant/core` loads zod, ~70 ms); modules are shared with the full entry, so
// ProvenantError is one class whichever entry a caller imports.
export { ProvenantError, isProvenantError, type ErrorCode } from './errors.ts';
export { INTOTO_PAYLOAD_TYPE, pae } from './dsse.ts';
export { SUBJECT_ALGORITHMS, type SubjectAlgorithm, type DigestSet, isSubjectAlgorithm, isValidHexDigest, digestBytes, digestFile, parseDigestRef, requireDigestRef } from './digest.ts';
export { stableStringify } from './json.ts';
export { writeFileAtomic } from './atomic-write.ts';
export { keyIdOf, loadPublicKey, signingHashOf } from './keys.ts';
export { type DecodedEnvelope, type LoadedAttestation, MAX_BUNDLE_BYTES, isSigstoreBundleMediaType, parseAttestations, readAttestationFile } from './bundle-io.ts';
export { STATEMENT_V1_TYPE, STATEMENT_V01_TYPE, SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02, SLSA_VSA_V1 } from './type-uris.ts';
