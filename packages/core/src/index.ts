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
export { type DecodedEnvelope, type LoadedAttestation, MAX_BUNDLE_BYTES, isSigstoreBundleMediaType, readAttestationFile, parseAttestations, decodeEnvelope } from './bundle-io.ts';
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
export { type OidcContext, type OidcExecResult, processOidcContext } from './keyless/oidc-context.ts';
export { type IdentityTokenClaims, SIGSTORE_AUDIENCE, checkIdentityToken } from './keyless/identity-token.ts';
export { type TokenSource, checkedProvider } from './keyless/token-source.ts';
export { githubActionsToken, requestGitHubIdToken } from './keyless/github-actions-token.ts';
export { gitlabCiToken } from './keyless/gitlab-ci-token.ts';
export { buildkiteToken } from './keyless/buildkite-token.ts';
export { circleciToken } from './keyless/circleci-token.ts';
export { sigstoreEnvToken } from './keyless/sigstore-env-token.ts';
export { type IdentitySelection, TOKEN_SOURCES, selectIdentityProvider } from './keyless/select-identity-provider.ts';
export {
  PUBLIC_GOOD_FULCIO_URL,
  PUBLIC_GOOD_REKOR_URL,
  type ServiceFlags,
  type SigstoreServices,
  type TlogService,
  type TsaService,
  serviceURL,
  servicesFromFlags,
} from './keyless/sigstore-services.ts';
export { SIGNING_CONFIG_V02_MEDIA_TYPE, type SelectOptions, type SigningConfig, parseSigningConfig, selectServices } from './keyless/signing-config.ts';
export { type KeylessSigningOptions, certificateIdentityOf, signStatementKeyless } from './keyless/keyless-signer.ts';
export type { IdentityProvider } from '@sigstore/sign';
