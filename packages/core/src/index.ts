export { ERROR_CODES, type ErrorCode, ProvenantError, isProvenantError } from './errors.ts';
export { stableStringify } from './json.ts';
export { INTOTO_PAYLOAD_TYPE, pae, type DsseEnvelopeJson } from './dsse.ts';
export {
  SUBJECT_ALGORITHMS,
  type SubjectAlgorithm,
  type DigestSet,
  type HashProgress,
  isSubjectAlgorithm,
  digestBytes,
  digestFile,
  parseDigestRef,
  requireDigestRef,
  isValidHexDigest,
  integrityToDigestSet,
} from './digest.ts';
export { DigestWorker } from './digest-off-thread.ts';
export { writeFileAtomic } from './atomic-write.ts';
export { KEY_TYPES, type KeyType, type GeneratedKeyPair, generateKeyPair, loadPrivateKey, loadPublicKey, keyIdOf, signingHashOf } from './keys.ts';
export { KeySigner, preloadSigning, signStatementToBundle, serializeBundle, signToEnvelope } from './signer.ts';
export { type DecodedEnvelope, type LoadedAttestation, MAX_BUNDLE_BYTES, readAttestationFile, parseAttestations, decodeEnvelope } from './bundle-io.ts';
export { DigestSetSchema, ResourceDescriptorSchema, type ResourceDescriptor } from './schemas/resource-descriptor.ts';
export {
  STATEMENT_V1_TYPE,
  STATEMENT_V01_TYPE,
  SubjectSchema,
  StatementV1Schema,
  StatementV01Schema,
  type StatementV1,
  type StatementV01,
} from './schemas/statement.ts';
export {
  SLSA_PROVENANCE_V1,
  SLSA_PROVENANCE_V02,
  ProvenanceV1Schema,
  ProvenanceV02Schema,
  type ProvenanceV1,
  type ProvenanceV02,
} from './schemas/provenance.ts';
export { SLSA_VSA_V1, VsaV1Schema, type VsaV1 } from './schemas/vsa.ts';
export { DsseEnvelopeSchema } from './schemas/dsse-envelope.ts';
export type { Bundle } from '@sigstore/bundle';
