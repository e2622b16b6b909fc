/**
 * Every spec-conformance problem `lintAttestation` reports, with its severity. An `error` breaks a
 * MUST of the in-toto, DSSE or SLSA specifications, or makes consumers disagree about what the
 * attestation says; a `warning` is allowed by the specs but unusual or lossy. A code never changes
 * meaning or severity between versions; messages may. Each is documented in docs/finding-codes.md.
 */
export const LINT_CODES = {
  JSON_NOT_UTF8: 'error',
  JSON_DUPLICATE_KEY: 'error',
  PAYLOAD_NOT_JSON: 'error',
  PAYLOAD_TYPE_NONSTANDARD: 'warning',
  DSSE_FIELD_NONSTANDARD: 'warning',
  STATEMENT_TYPE_UNKNOWN: 'error',
  STATEMENT_TYPE_OUTDATED: 'warning',
  STATEMENT_FIELD_MISSING: 'error',
  STATEMENT_FIELD_INVALID: 'error',
  STATEMENT_FIELD_UNKNOWN: 'warning',
  SUBJECT_EMPTY: 'error',
  SUBJECT_DIGEST_MISSING: 'error',
  SUBJECT_NAME_MISSING: 'warning',
  SUBJECT_NAME_DUPLICATE: 'warning',
  RESOURCE_DESCRIPTOR_EMPTY: 'error',
  PREDICATE_TYPE_NONCANONICAL: 'error',
  DIGEST_VALUE_INVALID: 'error',
  DIGEST_NOT_LOWERCASE_HEX: 'error',
  DIGEST_LENGTH_INVALID: 'error',
  DIGEST_ALGORITHM_MISLABELED: 'error',
  DIGEST_ALGORITHM_UNKNOWN: 'warning',
  TIMESTAMP_INVALID: 'error',
  TIMESTAMP_NOT_UTC: 'error',
  SLSA_FIELD_MISSING: 'error',
  SLSA_FIELD_INVALID: 'error',
  SLSA_EXTERNAL_PARAMETERS_EMPTY: 'warning',
} as const satisfies Record<string, LintSeverity>;

export type LintCode = keyof typeof LINT_CODES;
export type LintSeverity = 'error' | 'warning';

/** One spec-conformance problem. Data, never thrown. */
export interface LintIssue {
  code: LintCode;
  severity: LintSeverity;
  /** For people; wording may change between versions. */
  message: string;
  /**
   * Where the offending value sits: a path into the statement (`subject[0].digest.sha256`) for
   * what the payload says, into the file (`dsseEnvelope.signatures[0]`) for the envelope around it;
   * prefixed `attestations[i].` for line i of a JSON Lines file. Empty for the whole document.
   */
  path: string;
}

/** An issue with the severity its code always has. */
export function lintIssue(code: LintCode, path: string, message: string): LintIssue {
  return { code, severity: LINT_CODES[code], message, path };
}

/** Appends a key or index to a path as formatPath does (`a[0].b`). */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SLSA and in-toto parsing rules: unset, null and empty values mean the same. */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** A value shown in a message: short, and never a multi-line dump. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
