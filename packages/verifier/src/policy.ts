import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '@provenant/core';
import type { DependencyPolicy } from './dependencies/dependency-policy.ts';
import type { IdentityPolicy } from './identity-policy.ts';

/**
 * What the provenance must say. Every field is optional; a field that is set is a constraint
 * the attestation must meet, and a field that is set to an empty list admits nothing.
 * A policy never replaces trust: without a trusted key or a certificate identity nothing passes
 * (NO_TRUST_CONSTRAINT).
 */
export interface Policy {
  /** Accepted predicate types. Default: DEFAULT_PREDICATE_TYPES (SLSA provenance v1 and v0.2). */
  predicateTypes?: string[];
  /**
   * Accepted builders. `ids` match exactly. `idPrefixes` match an id that equals the prefix or
   * continues it after a `/` or `@` boundary (`https://github.com/acme` admits
   * `https://github.com/acme/ci@v1` but not `https://github.com/acme-evil/ci`). Either list may admit.
   */
  builder?: { ids?: string[]; idPrefixes?: string[] };
  /**
   * Accepted sources. `uris` match exactly after normalisation (no `git+`, no trailing `.git` or `/`,
   * lowercase scheme and host). `refs` are full git refs (`refs/heads/main`), exact or glob:
   * `*` and `?` stay within one path segment, `**` crosses segments (`refs/tags/v*` admits
   * `refs/tags/v1.2.0`, not `refs/tags/v1/x`).
   */
  source?: { uris?: string[]; refs?: string[] };
  /** Accepted build types, exact. */
  buildTypes?: string[];
  /**
   * Oldest acceptable build: `30d`, `12h`, `90m`, `3600s`, or a number of seconds. Measured from
   * the build's finish time (else its start time) to the `now` given to the verifier.
   */
  maxAge?: string | number;
  /**
   * Who may sign keyless: the signing certificate must match one of these (and one of the trust
   * material's identities, if it has any). A usable identity counts as a trust constraint.
   */
  identities?: IdentityPolicy[];
  /** Oldest accepted Sigstore bundle version: `0.1`, `0.2` or `0.3` (a bare DSSE envelope has none and fails). */
  minBundleVersion?: string;
  /**
   * Rules over the resolved dependencies that are packages (purls): deny-listed packages and
   * versions, allowed registries and non-registry sources, required digests, OSV advisories.
   * When set, packages not from a registry fail unless `allowSources` admits them. See docs/dependencies.md.
   */
  dependencies?: DependencyPolicy;
}

/** The predicate types accepted when a policy does not list its own. */
export const DEFAULT_PREDICATE_TYPES: readonly string[] = Object.freeze([SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02]);
