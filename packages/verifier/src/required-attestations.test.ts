import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingAttestations } from './required-attestations.ts';
import type { VerifyResult } from './verify-attestation.ts';
import { withRequiredAttestations } from './verify.ts';
import type { ProvenanceView } from './view/provenance-view.ts';

const SLSA = 'https://slsa.dev/provenance/v1';
const CDX = 'https://cyclonedx.org/bom';
const PROVENANCE = [SLSA, 'https://slsa.dev/provenance/v0.2'];

function result(ok: boolean, predicateType?: string, code = 'SIGNATURE_INVALID'): VerifyResult {
  const r: VerifyResult = { ok, findings: ok ? [] : [{ code: code as 'SIGNATURE_INVALID', message: 'x' }], subjects: [] };
  if (predicateType !== undefined) r.view = { statementType: 'x', predicateType, subjects: [], dependencies: [], locations: {} } as ProvenanceView;
  return r;
}

describe('missingAttestations', () => {
  const cases: [required: string[], verified: string[], missing: string[]][] = [
    [[SLSA, CDX], [SLSA, CDX], []],
    [[SLSA, CDX], [CDX, SLSA, SLSA], []],
    [[SLSA, CDX], [SLSA], [CDX]],
    [[SLSA, CDX, CDX], [], [SLSA, CDX]],
    [[], [], []],
  ];
  for (const [required, verified, missing] of cases) {
    it(`${required.length} required, ${verified.length} verified -> ${missing.length} missing`, () => {
      const findings = missingAttestations(required, verified);
      assert.deepEqual(findings.map((f) => [f.code, f.expected]), missing.map((t) => ['ATTESTATION_MISSING', t]));
    });
  }
});

describe('withRequiredAttestations', () => {
  const cases: { name: string; full: VerifyResult[]; evidence: VerifyResult[]; codes: string[] }[] = [
    { name: 'provenance passes, SBOM verifies', full: [result(true, SLSA), result(false, CDX, 'PREDICATE_TYPE_MISMATCH')], evidence: [result(true, SLSA), result(true, CDX)], codes: [] },
    { name: 'SBOM absent', full: [result(true, SLSA)], evidence: [result(true, SLSA)], codes: ['ATTESTATION_MISSING'] },
    { name: 'SBOM signed by no one trusted', full: [result(true, SLSA), result(false, undefined)], evidence: [result(true, SLSA), result(false, undefined)], codes: ['ATTESTATION_MISSING'] },
    {
      name: 'provenance fails the policy: its findings only (it is present)',
      full: [result(false, SLSA, 'BUILDER_ID_MISMATCH'), result(false, CDX, 'PREDICATE_TYPE_MISMATCH')],
      evidence: [result(true, SLSA), result(true, CDX)],
      codes: ['BUILDER_ID_MISMATCH'],
    },
    { name: 'only the SBOM', full: [result(false, CDX, 'PREDICATE_TYPE_MISMATCH')], evidence: [result(true, CDX)], codes: ['ATTESTATION_MISSING'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = withRequiredAttestations([SLSA, CDX], PROVENANCE, c.full, c.evidence);
      assert.deepEqual(r.findings.map((f) => f.code), c.codes);
      assert.equal(r.ok, c.codes.length === 0);
    });
  }
});
