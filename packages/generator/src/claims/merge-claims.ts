import { ProvenantError } from '@provenant/core';
import type { CiFacts } from '../collectors/ci-facts.ts';
import { type CiFactKey, flattenCi, predicatePathOf, unflattenCi } from './ci-fact-keys.ts';
import type { FieldSource } from './field-sources.ts';
import type { ClaimFact, PlatformProfile } from './platform-profile.ts';

/** Claims whose token was verified (signature, iss, aud, exp): the only claims ever merged. */
export interface VerifiedClaims {
  issuer: string;
  values: Readonly<Record<string, unknown>>;
}

/** The CI facts after merging, and where each one came from. */
export interface MergedCiFacts {
  ci: CiFacts;
  sources: Map<CiFactKey, FieldSource[]>;
}

/**
 * Merges what the environment says (the collector's facts) with what the platform's verified
 * claims say. Pure. For each fact:
 * - a claim states it: the claim's value, marked `signed-claim`; if the environment stated it too
 *   and differently, that is a contradiction;
 * - only the environment states it: its value, marked `environment` with the variables read;
 * - the collector set it from no variable (a default): `provenant`, replaced by a claim if any.
 * Throws CLAIM_CONTRADICTION naming every contradicting field with its variables and claims, never
 * a value: the environment was changed after the platform set it, and the provenance would lie.
 */
export function mergeClaims(
  ci: CiFacts,
  env: Readonly<Record<string, string | undefined>>,
  profile: PlatformProfile | undefined,
  verified?: VerifiedClaims,
): MergedCiFacts {
  const fromEnvironment = flattenCi(ci);
  // Without a profile the variables are unknown, but the collector read every fact from somewhere in the environment.
  const variables = profile?.environmentSources(env);
  const fromClaims = verified && profile?.claims ? profile.claims.facts(verified.values, verified.issuer, env) : new Map<CiFactKey, ClaimFact>();
  const values = new Map<CiFactKey, string>();
  const sources = new Map<CiFactKey, FieldSource[]>();
  const contradictions: string[] = [];

  for (const key of [...new Set([...fromEnvironment.keys(), ...fromClaims.keys()])].sort()) {
    const envValue = fromEnvironment.get(key);
    const names = variables?.get(key) ?? [];
    const environmentStated = envValue !== undefined && (variables === undefined || names.length > 0);
    const claim = fromClaims.get(key);
    if (claim !== undefined) {
      if (environmentStated && envValue !== claim.value) {
        const envPart = names.length > 0 ? names.join(', ') : 'a platform variable';
        contradictions.push(`${predicatePathOf(key)} (environment ${envPart}; signed claim ${claim.claims.join(', ')})`);
      }
      values.set(key, claim.value);
      sources.set(key, claim.claims.map((c) => ({ kind: 'signed-claim', claim: c })));
    } else if (envValue !== undefined) {
      values.set(key, envValue);
      sources.set(
        key,
        !environmentStated ? [{ kind: 'provenant' }] : names.length > 0 ? names.map((v) => ({ kind: 'environment', variable: v })) : [{ kind: 'environment' }],
      );
    }
  }
  if (contradictions.length > 0) {
    throw new ProvenantError(
      'CLAIM_CONTRADICTION',
      `${contradictions.length === 1 ? 'a field from the environment contradicts' : `${contradictions.length} fields from the environment contradict`} ` +
        `the signed OIDC claims of ${verified?.issuer}: ` +
        `${contradictions.join('; ')}. The job's environment was changed after the platform set it; no provenance was written`,
    );
  }
  return { ci: unflattenCi(ci.platform, values), sources };
}
