import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '@provenant/core/verification';
import { builderIdHasPrefix } from '../checks/builder.ts';
import type { VerifyResult } from '../verify-attestation.ts';
import { type SignerConstraint, describeSigner, describeSignerConstraint, signerMatches } from './signer-constraint.ts';

/** A SLSA Build level: 0 (no trustworthy provenance) to 3 (hardened build platform). */
export type BuildLevel = 0 | 1 | 2 | 3;

/**
 * One root of trust in the SLSA sense ("Verifying artifacts", step 1): a builder identity and the
 * highest SLSA Build level this verifier trusts it to meet. The builder is named by its
 * `builder.id` (exactly, or by a prefix at a `/` or `@` boundary) and by who signs for it.
 */
export interface TrustedBuilder {
  /** The provenance's builder id, exactly. */
  builderId?: string;
  /** A builder id prefix, matched at a `/` or `@` boundary (as `builder.idPrefixes`). */
  builderIdPrefix?: string;
  /**
   * Who signs this builder's provenance: a key id or a keyless identity. Required for level 2 and
   * 3, which mean "signed by the build platform": without it, any trusted signer could claim the
   * builder id. An entry without one is capped at level 1.
   */
  signer?: SignerConstraint;
  /** The highest level this builder is trusted to meet (what a conformance claim or audit supports). */
  maxLevel: 1 | 2 | 3;
}

/** The level reached, and why, one reason per step that decided it. */
export interface BuildLevelResult {
  level: BuildLevel;
  reasons: string[];
}

/** The predicate types that are SLSA provenance: only these can carry a Build level. */
const PROVENANCE_TYPES: readonly string[] = [SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02];

/**
 * The SLSA Build level an artifact reaches under the policy's roots of trust, following SLSA v1.0
 * "Verifying artifacts", step 1: the envelope's signature verifies with the roots of trust, the
 * subject matches the artifact, the predicate is SLSA provenance; then the level is looked up by
 * (signer, builder.id) in the roots of trust, defaulting to Build L1.
 *
 * - 0: the verification did not pass, or what passed is not SLSA provenance (a signed blob, a VSA).
 * - 1: provenance exists and verified, but no trusted builder entry names this (signer, builder).
 * - n: the highest `maxLevel` among the entries whose builder id and signer both match. An entry
 *   without a signer admits at most level 1.
 *
 * Pure: reads only the result and the policy's `trustedBuilders`. The caller decides what a level
 * means for it.
 */
export function computeBuildLevel(result: VerifyResult, policy: { trustedBuilders?: readonly TrustedBuilder[] }): BuildLevelResult {
  if (!result.ok) return { level: 0, reasons: [`the verification failed (${result.findings.map((f) => f.code).join(', ') || 'no trusted signer'})`] };
  const view = result.view;
  if (view === undefined || !PROVENANCE_TYPES.includes(view.predicateType)) {
    return { level: 0, reasons: [`no SLSA provenance: ${view === undefined ? 'the signed content is not an in-toto statement' : `predicate type ${view.predicateType}`}`] };
  }
  const builderId = view.builderId;
  if (builderId === undefined) return { level: 0, reasons: ['the provenance names no builder id'] };
  const reasons = [`provenance verified, signed by ${describeSigner(result.signer)}, builder ${builderId}`];
  let level: BuildLevel = 1;
  for (const [i, entry] of (Array.isArray(policy.trustedBuilders) ? policy.trustedBuilders : []).entries()) {
    if (!builderMatches(entry, builderId)) continue;
    const where = `trustedBuilders[${i}]`;
    if (entry.signer !== undefined && !signerMatches(result.signer, entry.signer)) {
      reasons.push(`${where} names this builder but another signer (${describeSignerConstraint(entry.signer)})`);
      continue;
    }
    const granted: BuildLevel = entry.signer === undefined ? 1 : validLevel(entry.maxLevel);
    if (entry.signer === undefined && validLevel(entry.maxLevel) > 1) reasons.push(`${where} names no signer: capped at level 1`);
    else reasons.push(`${where} trusts this builder${entry.signer === undefined ? '' : ` signed by ${describeSignerConstraint(entry.signer)}`} up to level ${granted}`);
    if (granted > level) level = granted;
  }
  if (reasons.length === 1) reasons.push('no trusted builder entry matches: level 1 by default');
  return { level, reasons };
}

/** `SLSA_BUILD_LEVEL_<n>`, the VSA's name for a Build level. */
export function buildLevelName(level: BuildLevel): string {
  return `SLSA_BUILD_LEVEL_${level}`;
}

function builderMatches(entry: TrustedBuilder, builderId: string): boolean {
  if (entry.builderId !== undefined && entry.builderId === builderId) return true;
  return entry.builderIdPrefix !== undefined && builderIdHasPrefix(builderId, entry.builderIdPrefix);
}

/** A programmatic policy's level outside 1–3 grants nothing above the default. */
function validLevel(level: unknown): BuildLevel {
  return level === 2 || level === 3 ? level : 1;
}
