import { STATEMENT_V1_TYPE, type StatementV1 } from '@provenant/core';
import type { Subject } from '../subjects.ts';
import type { CycloneDxBom } from './cyclonedx-sbom.ts';

/** The in-toto predicate type of a CycloneDX BOM (in-toto attestation predicate registry). */
export const CYCLONEDX_PREDICATE_TYPE = 'https://cyclonedx.org/bom';

/**
 * An in-toto Statement v1 whose predicate is the CycloneDX BOM, about the same subjects as the
 * provenance, so `cosign verify-attestation --type cyclonedx` and GitHub's SBOM attestations read
 * it. Serialise it with core's stableStringify, as the provenance statement is.
 */
export function statementForSbom(subjects: readonly Subject[], bom: CycloneDxBom): StatementV1 {
  return {
    _type: STATEMENT_V1_TYPE,
    subject: subjects.map((s) => ({ name: s.name, digest: { ...s.digest } })),
    predicateType: CYCLONEDX_PREDICATE_TYPE,
    predicate: bom as unknown as Record<string, unknown>,
  };
}
