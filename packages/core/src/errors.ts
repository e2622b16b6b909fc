/**
 * The one error type of provenant. Every failure that reaches a user carries a stable `code`;
 * messages may change between versions, codes may not. Verification *findings* are not errors
 * (see the verifier's result type): this class is for input that could not be processed at all.
 */
export const ERROR_CODES = [
  'USAGE',
  'FILE_UNREADABLE',
  'FILE_TOO_LARGE',
  'OUTPUT_UNWRITABLE',
  'BUNDLE_MALFORMED',
  'STATEMENT_INVALID',
  'POLICY_INVALID',
  'KEY_INVALID',
  'KEY_PASSPHRASE_REQUIRED',
  'SUBJECT_INVALID',
  'SUBJECT_OUTSIDE_ROOT',
  'LOCKFILE_INVALID',
  'COLLECTOR_FAILED',
  'DIGEST_INVALID',
  'SIGNING_FAILED',
  'TRUSTED_ROOT_INVALID',
  'TRUSTED_ROOT_UNAVAILABLE',
  'SIGNING_CONFIG_INVALID',
  'OIDC_TOKEN_UNAVAILABLE',
  'OIDC_TOKEN_INVALID',
  'OIDC_TOKEN_REJECTED',
  'SIGSTORE_SERVICE_FAILED',
  'CLAIM_CONTRADICTION',
  'DOWNLOAD_FAILED',
  'DOWNLOAD_STALLED',
  'TOO_MANY_REDIRECTS',
  // OCI registries (packages/oci).
  'IMAGE_REFERENCE_INVALID',
  'IMAGE_NOT_FOUND',
  'REGISTRY_AUTH_FAILED',
  'REGISTRY_CREDENTIALS_INVALID',
  'REGISTRY_INSECURE',
  'REGISTRY_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

// A registered symbol, so that two copies of this module (a bundled CLI and a library) still
// recognise each other's errors.
const BRAND = Symbol.for('provenant.error');

export class ProvenantError extends Error {
  readonly code: ErrorCode;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProvenantError';
    this.code = code;
  }
}

/** True for any ProvenantError, including one thrown by another copy of this package. */
export function isProvenantError(value: unknown): value is ProvenantError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
