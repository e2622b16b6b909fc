import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '@provenant/core/verification';
import type { DependencyPolicy } from './dependencies/dependency-policy.ts';
import type { IdentityPolicy } from './identity-policy.ts';
import type { TrustedBuilder } from './level/build-level.ts';

/**
 * What the provenance must say. Every field is optional; a field that is set is a constraint
 * the attestation must meet, and a field that is set to an empty list admits nothing.
 * A policy never replaces trust: without a trusted key, a certificate identity or (for GitHub-built
 * provenance) `githubBuilder`, nothing passes (NO_TRUST_CONSTRAINT).
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
  source?: {
    uris?: string[];
    refs?: string[];
    /** slsa-verifier `--source-branch`: the build ran from `refs/heads/<branch>`. */
    branch?: string;
    /** slsa-verifier `--source-tag`: the build ran from `refs/tags/<tag>`, exactly. */
    tag?: string;
    /**
     * slsa-verifier `--source-versioned-tag`: the build ran from a version tag within this one
     * (`v1` admits `v1.4.2` and `v1.4.2-rc.1`, `v1.2` admits `v1.2.9`, `v1.2.3` admits `v1.2.3+build`).
     */
    versionedTag?: string;
  };
  /**
   * Accepted build types, exact. A string admits that build type with any external parameters; a
   * rule admits it with only the external parameters it lists (SLSA "Verifying artifacts": unknown
   * external parameters are rejected, EXTERNAL_PARAMETER_UNEXPECTED).
   */
  buildTypes?: (string | BuildTypeRule)[];
  /**
   * Subject semantics. `any` (default): the artifact must be a subject. `exactly`: besides, the
   * statement's subject names must be exactly `names`, no more, no fewer (SUBJECT_SET_MISMATCH).
   */
  subjects?: SubjectPolicy;
  /**
   * Predicate types that must each be present among the attestations that verified (trusted
   * signature, subject matching the artifact); a missing one is ATTESTATION_MISSING. Provenance is
   * checked against the whole policy, other predicate types only for signature and subject.
   */
  requiredAttestations?: string[];
  /**
   * Oldest acceptable build: `30d`, `12h`, `90m`, `3600s`, or a number of seconds. Measured from
   * the build's finish time (else its start time) to the `now` given to the verifier.
   */
  maxAge?: string | number;
  /**
   * Trusted signers with a key, as the policy file lists them: SPKI PEM text or a path relative to
   * the policy file. This is trust material, not a check: `verifyAttestation` reads keys only from
   * its `trust` argument, so a caller passes these to createTrust (the CLI does, with --key).
   */
  publicKeys?: string[];
  /**
   * Who may sign keyless: the signing certificate must match one of these (and one of the trust
   * material's identities, if it has any). A usable identity counts as a trust constraint.
   */
  identities?: IdentityPolicy[];
  /**
   * slsa-verifier's trust model for GitHub-built provenance: a keyless signer is trusted when its
   * certificate carries GitHub Actions' issuer, names one of `source.uris` (required) as its source
   * repository, and is a trusted builder: one of `ids` (slsa-verifier `--builder-id`, `name[@ref]`)
   * or, without them, a built-in one (slsa-github-generator's reusable workflows and BYOB
   * delegators at a release, or a workflow of the repository itself on a GitHub-hosted runner).
   * The provenance's builder id must then be the one that signer vouches for. Counts as a trust
   * constraint. See docs/slsa-verifier-compatibility.md.
   */
  githubBuilder?: { ids?: string[] };
  /** slsa-verifier `--build-workflow-input`: inputs the workflow run must have been given, exactly. */
  workflowInputs?: Record<string, string>;
  /** Oldest accepted Sigstore bundle version: `0.1`, `0.2` or `0.3` (a bare DSSE envelope has none and fails). */
  minBundleVersion?: string;
  /**
   * Rules over the resolved dependencies that are packages (purls): deny-listed packages and
   * versions, allowed registries and non-registry sources, required digests, OSV advisories.
   * When set, packages not from a registry fail unless `allowSources` admits them. See docs/dependencies.md.
   */
  dependencies?: DependencyPolicy;
  /**
   * Roots of trust in the SLSA sense: which (builder id, signer) pairs are trusted, up to which
   * SLSA Build level. Used by computeBuildLevel (VSAs, batch and npm reports, the trust record);
   * it never makes a verification pass or fail by itself.
   */
  trustedBuilders?: TrustedBuilder[];
  /** verify-npm: a package without an attestation fails (PROVENANCE_MISSING) instead of being reported. */
  requireProvenance?: boolean;
}

/** A build type and the external parameters provenance of that type may carry. */
export interface BuildTypeRule {
  /** The build type, exactly. */
  type: string;
  /**
   * The external parameters allowed, by name: any other is EXTERNAL_PARAMETER_UNEXPECTED. A list
   * admits each name with any value; a mapping gives an expected value per name (`null`: any value;
   * an object matches when each of its keys matches, recursively; anything else must be equal), and
   * a parameter with an expected value must be present (EXTERNAL_PARAMETER_MISMATCH).
   * Omitted: any external parameters.
   */
  externalParameters?: string[] | Record<string, unknown>;
}

/** How the statement's subjects must relate to the artifact. */
export interface SubjectPolicy {
  /** `any` (default): the artifact is one of the subjects. `exactly`: the subject names are exactly `names`. */
  match?: 'any' | 'exactly';
  /** With `exactly`: every subject name the statement must have, and the only ones. */
  names?: string[];
}

/** The predicate types accepted when a policy does not list its own. */
export const DEFAULT_PREDICATE_TYPES: readonly string[] = Object.freeze([SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02]);
