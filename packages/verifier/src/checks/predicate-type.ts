import type { Finding } from '../finding.ts';
import { DEFAULT_PREDICATE_TYPES, type Policy } from '../policy.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/** The predicate type must be one the policy accepts (SLSA provenance v1 or v0.2 by default). */
export function verifyPredicateType(view: ProvenanceView, policy: Policy): Finding | undefined {
  const accepted = policy.predicateTypes ?? DEFAULT_PREDICATE_TYPES;
  if (accepted.includes(view.predicateType)) return undefined;
  return {
    code: 'PREDICATE_TYPE_MISMATCH',
    message: `predicate type ${view.predicateType} is not accepted`,
    path: 'predicateType',
    expected: [...accepted],
    actual: view.predicateType,
  };
}
