import type { Finding } from './finding.ts';

/**
 * Policy `requiredAttestations`: each required predicate type must be among the predicate types of
 * the attestations that verified. One ATTESTATION_MISSING per missing type, in the policy's order.
 */
export function missingAttestations(required: readonly string[], verified: readonly string[]): Finding[] {
  return [...new Set(required)]
    .filter((type) => !verified.includes(type))
    .map((type) => ({
      code: 'ATTESTATION_MISSING' as const,
      message: `no attestation with predicate type ${type} verified (a trusted signature over a statement the artifact is a subject of)`,
      path: 'predicateType',
      expected: type,
      actual: [...new Set(verified)],
    }));
}
