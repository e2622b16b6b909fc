/**
 * Every reason a verification can fail, as a stable code. Codes never change meaning between
 * versions; messages may. Each is documented in docs/finding-codes.md.
 */
export const FINDING_CODES = [
  'BUNDLE_MALFORMED',
  'SIGNATURE_INVALID',
  'KEY_UNTRUSTED',
  'PAYLOAD_TYPE_UNSUPPORTED',
  'STATEMENT_INVALID',
  'SUBJECT_DIGEST_MISMATCH',
  'PREDICATE_TYPE_MISMATCH',
  'BUILDER_ID_MISMATCH',
  'SOURCE_MISMATCH',
  'REF_MISMATCH',
  'BUILD_TYPE_MISMATCH',
  'ATTESTATION_TOO_OLD',
  'POLICY_INVALID',
  'NO_TRUST_CONSTRAINT',
  'CERTIFICATE_INVALID',
  'TLOG_INVALID',
  'TIMESTAMP_INVALID',
  'IDENTITY_MISMATCH',
  'ISSUER_MISMATCH',
  'CERTIFICATE_EXTENSION_MISMATCH',
  'CERTIFICATE_STATEMENT_MISMATCH',
  'BUNDLE_VERSION_TOO_OLD',
  'WORKFLOW_INPUT_MISMATCH',
  'DEPENDENCY_DENIED',
  'DEPENDENCY_UNPINNED',
  'DEPENDENCY_SOURCE_FORBIDDEN',
  'DEPENDENCY_REGISTRY_FORBIDDEN',
  'DEPENDENCY_VULNERABLE',
  // Results as attestations, batch and install-time verification (docs/vsa.md, docs/finding-codes.md).
  'VSA_PREDICATE_INVALID',
  'VSA_VERIFIER_MISMATCH',
  'VSA_RESOURCE_URI_MISMATCH',
  'VSA_TOO_OLD',
  'VSA_RESULT_FAILED',
  'VSA_LEVEL_MISSING',
  'VSA_DEPENDENCY_LEVEL_TOO_LOW',
  'PROVENANCE_MISSING',
  'PROVENANCE_DOWNGRADE',
  'INTEGRITY_MISMATCH',
  // Policy sections (packages/verifier/README.md#policy).
  'EXTERNAL_PARAMETER_UNEXPECTED',
  'EXTERNAL_PARAMETER_MISMATCH',
  'SUBJECT_SET_MISMATCH',
  'ATTESTATION_MISSING',
  // OCI registries (docs/oci.md).
  'REGISTRY_CONTENT_MISMATCH',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** One reason an attestation did not satisfy trust or policy. Findings are data, never thrown. */
export interface Finding {
  code: FindingCode;
  /** For people; wording may change between versions. */
  message: string;
  /** Where in the attestation the offending value sits, e.g. `predicate.runDetails.builder.id`. */
  path?: string;
  /** What the policy or trust asked for. */
  expected?: unknown;
  /** What the attestation holds. */
  actual?: unknown;
}
