import { type DigestSet, ProvenantError, SLSA_VSA_V1, STATEMENT_V1_TYPE, StatementV1Schema, type VsaV1, VsaV1Schema, stableStringify } from '@provenant/core';
import { type BuildLevel, buildLevelName } from '../level/build-level.ts';

/** provenant's verifier id, written as `verifier.id` unless the caller names its own trust base. */
export const PROVENANT_VERIFIER_ID = 'https://provenant.dev/verifier/v1';

/** The SLSA version whose levels provenant computes. */
export const VSA_SLSA_VERSION = '1.0';

/** What a verification decided, to be recorded as a Verification Summary Attestation. */
export interface VsaInput {
  /**
   * Who verified: consumers accept only specific (signer, verifier id) pairs, so the id should
   * name the trust base they care about (an organisation's gate); default PROVENANT_VERIFIER_ID.
   */
  verifier?: { id?: string; version?: Record<string, string> };
  timeVerified: Date;
  /** The resource the artifact was verified as: where consumers fetch it (a URL, a purl), or the name they know it by. */
  resourceUri: string;
  /** The artifact: the VSA's subject. Its digests are those the verification used. */
  subject: { name?: string; digest: DigestSet };
  /** The policy applied: `uri` (required by the spec) and the digest of its exact bytes. */
  policy: { uri: string; digest?: DigestSet };
  /** Every attestation the decision used (the spec: all of them, when the field is set). */
  inputAttestations: { uri?: string; digest: DigestSet }[];
  passed: boolean;
  /** The SLSA Build level reached (computeBuildLevel); recorded only when passed. */
  level: BuildLevel;
  /** Counts of transitive dependencies per level; omitted, the VSA makes no claim about them. */
  dependencyLevels?: Record<string, number>;
}

/** A VSA statement and the exact bytes to sign. */
export interface BuiltVsa {
  statement: { _type: string; subject: { name?: string; digest: DigestSet }[]; predicateType: string; predicate: VsaV1 };
  /** Sorted-key JSON of the statement: what is signed, byte for byte. */
  payload: Buffer;
}

/**
 * Builds an in-toto Statement v1 with a SLSA VSA v1 predicate (https://slsa.dev/verification_summary/v1):
 * `verifiedLevels` is `[SLSA_BUILD_LEVEL_<n>]` when the verification passed and `[FAILED]` when it
 * did not, as the spec asks. Validated with core's VsaV1Schema and StatementV1Schema; throws
 * STATEMENT_INVALID when the input cannot make a valid VSA (an empty resourceUri, a bad digest).
 * Pure: the time is an input.
 */
export function buildVsa(input: VsaInput): BuiltVsa {
  const predicate: VsaV1 = {
    verifier: { id: input.verifier?.id ?? PROVENANT_VERIFIER_ID, ...(input.verifier?.version === undefined ? {} : { version: input.verifier.version }) },
    timeVerified: input.timeVerified.toISOString(),
    resourceUri: input.resourceUri,
    policy: input.policy,
    inputAttestations: input.inputAttestations,
    verificationResult: input.passed ? 'PASSED' : 'FAILED',
    verifiedLevels: input.passed ? [buildLevelName(input.level)] : ['FAILED'],
    ...(input.dependencyLevels === undefined ? {} : { dependencyLevels: input.dependencyLevels }),
    slsaVersion: VSA_SLSA_VERSION,
  };
  const subject = input.subject.name === undefined ? { digest: input.subject.digest } : { name: input.subject.name, digest: input.subject.digest };
  const statement = { _type: STATEMENT_V1_TYPE, subject: [subject], predicateType: SLSA_VSA_V1, predicate };
  const checked = VsaV1Schema.safeParse(predicate);
  const issue = checked.success ? StatementV1Schema.safeParse(statement).error?.issues[0] : checked.error.issues[0];
  if (issue !== undefined) {
    throw new ProvenantError('STATEMENT_INVALID', `the verification summary would not be a valid VSA: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { statement, payload: Buffer.from(stableStringify(statement)) };
}
