import type { TokenProblem } from './verify-token.ts';

/**
 * The name of provenant's SLSA extension field, in `runDetails.metadata`. SLSA v1 asks extension
 * fields to be named `<vendor>_<fieldname>` ("Extension fields"); docs/buildtype-ci-v1.md
 * documents its content.
 */
export const FIELD_SOURCES_EXTENSION = 'provenant_fieldSources';

/** Where the value of one predicate field came from. */
export type FieldSource =
  /** A claim of the platform's OIDC token, whose signature and iss/aud/exp were verified. */
  | { kind: 'signed-claim'; claim: string }
  /** An environment variable; `variable` is absent when provenant cannot say which one. */
  | { kind: 'environment'; variable?: string }
  /** The local git checkout (`git` commands in cwd). */
  | { kind: 'git' }
  /** A file read from disk (a lockfile), relative to cwd. */
  | { kind: 'file'; path: string }
  /** Probed on the machine: OS, kernel, tools on PATH, container markers. */
  | { kind: 'host' }
  /** provenant itself: its version, its clock, a fixed or random value. */
  | { kind: 'provenant' }
  /** Given to provenant by whoever ran it (`--started-on`). */
  | { kind: 'caller' };

/** One predicate field (a dotted path below `predicate`) and everything its value was made from. */
export interface FieldSourceEntry {
  field: string;
  sources: FieldSource[];
}

/** Whether the platform's signed claims were used, and if not, why. */
export type ClaimsStatus =
  | { status: 'verified'; issuer: string; audience: string }
  /** A token was there but could not be verified: its claims were not used. */
  | { status: 'not-verified'; issuer: string; reason: TokenProblem; message: string }
  /** No token to read: a local build, a platform without one, no permission, or not asked for. */
  | { status: 'unavailable'; reason: 'unsupported-platform' | 'no-token' | 'token-request-failed' | 'disabled'; message: string };

/** The content of `runDetails.metadata.provenant_fieldSources`. */
export interface ProvenantFieldSources {
  claims: ClaimsStatus;
  /** Sorted by `field`. A field a platform vouched for has only `signed-claim` sources. */
  fields: FieldSourceEntry[];
}
