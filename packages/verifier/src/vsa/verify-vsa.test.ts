import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LoadedAttestation, type ProvenantError, SLSA_VSA_V1, StatementV1Schema, VsaV1Schema } from '@provenant/core';
import type { FindingCode } from '../finding.ts';
import { ARTIFACT_DIGEST, NOW, OTHER_DIGEST, provenantStatement, signedBundle, testKey } from '../testing/fixtures.ts';
import { createTrust } from '../trust.ts';
import { PROVENANT_VERIFIER_ID, type VsaInput, buildVsa } from './build-vsa.ts';
import { levelsSatisfy } from './slsa-result.ts';
import { type VsaExpectations, verifyVsa } from './verify-vsa.ts';

const verifierKey = testKey('ecdsa-p384');
const trust = createTrust({ publicKeys: [verifierKey.publicKeyPem] });
const codes = (r: { findings: { code: FindingCode }[] }) => r.findings.map((f) => f.code);

const INPUT: VsaInput = {
  timeVerified: new Date(NOW.getTime() - 60_000),
  resourceUri: 'https://example.com/app.tgz',
  subject: { name: 'app.tgz', digest: { ...ARTIFACT_DIGEST } },
  policy: { uri: 'policy.yaml', digest: { sha256: 'a'.repeat(64) } },
  inputAttestations: [{ uri: 'app.sigstore.json', digest: { sha256: 'b'.repeat(64) } }],
  passed: true,
  level: 2,
};

const EXPECTED: VsaExpectations = { verifiers: [{ id: PROVENANT_VERIFIER_ID }], resourceUri: 'https://example.com/app.tgz', levels: ['SLSA_BUILD_LEVEL_2'] };

/** A VSA built from INPUT (changed), its predicate changed after building, signed by the verifier key. */
async function vsaBundle(input: Partial<VsaInput> = {}, change: (predicate: Record<string, unknown>) => void = () => {}): Promise<LoadedAttestation> {
  const { statement } = buildVsa({ ...INPUT, ...input });
  const copy = structuredClone(statement) as unknown as { predicate: Record<string, unknown> };
  change(copy.predicate);
  return signedBundle(copy as unknown as Record<string, unknown>, verifierKey);
}

describe('buildVsa', () => {
  it('writes a VSA v1 statement the schemas accept: PASSED at the level reached, sorted-key payload', () => {
    const { statement, payload } = buildVsa(INPUT);
    assert.equal(statement.predicateType, SLSA_VSA_V1);
    assert.ok(StatementV1Schema.safeParse(statement).success);
    assert.ok(VsaV1Schema.safeParse(statement.predicate).success);
    assert.deepEqual(statement.predicate.verifiedLevels, ['SLSA_BUILD_LEVEL_2']);
    assert.equal(statement.predicate.verificationResult, 'PASSED');
    assert.equal(statement.predicate.verifier.id, PROVENANT_VERIFIER_ID);
    assert.equal(statement.predicate.slsaVersion, '1.0');
    assert.equal(statement.predicate.dependencyLevels, undefined, 'no claim about dependencies it did not verify');
    assert.match(payload.toString(), /^\{"_type":"https:\/\/in-toto\.io\/Statement\/v1","predicate":\{"inputAttestations"/);
  });

  it('records a failed verification as FAILED with verifiedLevels [FAILED]', () => {
    const { predicate } = buildVsa({ ...INPUT, passed: false }).statement;
    assert.equal(predicate.verificationResult, 'FAILED');
    assert.deepEqual(predicate.verifiedLevels, ['FAILED']);
  });

  it('refuses input that cannot make a valid VSA (STATEMENT_INVALID)', () => {
    assert.throws(() => buildVsa({ ...INPUT, resourceUri: '' }), (e: ProvenantError) => e.code === 'STATEMENT_INVALID' && /resourceUri/.test(e.message));
  });
});

describe('levelsSatisfy', () => {
  it('a level implies the lower levels of its own track, never another track; other values only themselves', () => {
    assert.ok(levelsSatisfy(['SLSA_BUILD_LEVEL_3'], 'SLSA_BUILD_LEVEL_2'));
    assert.ok(levelsSatisfy(['SLSA_BUILD_LEVEL_2'], 'SLSA_BUILD_LEVEL_2'));
    assert.ok(!levelsSatisfy(['SLSA_BUILD_LEVEL_1'], 'SLSA_BUILD_LEVEL_2'));
    assert.ok(!levelsSatisfy(['SLSA_SOURCE_LEVEL_3'], 'SLSA_BUILD_LEVEL_2'));
    assert.ok(!levelsSatisfy(['FAILED'], 'SLSA_BUILD_LEVEL_0'));
    assert.ok(levelsSatisfy(['SLSA_BUILD_LEVEL_UNEVALUATED'], 'SLSA_BUILD_LEVEL_UNEVALUATED'));
    assert.ok(!levelsSatisfy(['SLSA_BUILD_LEVEL_3'], 'SLSA_BUILD_LEVEL_UNEVALUATED'));
  });
});

describe('verifyVsa', () => {
  it('passes a VSA by a trusted verifier about this artifact and resource, PASSED at the level asked or higher', async () => {
    const result = verifyVsa(await vsaBundle({ level: 3 }), ARTIFACT_DIGEST, trust, { ...EXPECTED, maxAge: '1h' }, NOW);
    assert.deepEqual(result.findings, []);
    assert.equal(result.ok, true);
    assert.equal(result.vsa?.resourceUri, 'https://example.com/app.tgz');
    assert.deepEqual(result.signer, { kind: 'key', keyId: verifierKey.keyId });
  });

  // One fixture per step of the SLSA VSA verification, named after what it shows.
  const cases: [string, () => Promise<LoadedAttestation>, Partial<VsaExpectations>, FindingCode[]][] = [
    ['another verifier id', () => vsaBundle({ verifier: { id: 'https://evil.example/verifier' } }), {}, ['VSA_VERIFIER_MISMATCH']],
    ['another resource', () => vsaBundle({ resourceUri: 'https://example.com/other.tgz' }), {}, ['VSA_RESOURCE_URI_MISMATCH']],
    ['verified too long ago', () => vsaBundle({ timeVerified: new Date(NOW.getTime() - 2 * 3600_000) }), { maxAge: '1h' }, ['VSA_TOO_OLD']],
    ['verified in the future', () => vsaBundle({ timeVerified: new Date(NOW.getTime() + 3600_000) }), { maxAge: '1h' }, ['VSA_TOO_OLD']],
    ['no timeVerified, with a maximum age', () => vsaBundle({}, (p) => delete p.timeVerified), { maxAge: '1h' }, ['VSA_TOO_OLD']],
    ['a FAILED result', () => vsaBundle({ passed: false }), { levels: ['FAILED'] }, ['VSA_RESULT_FAILED']],
    ['a lower level', () => vsaBundle({ level: 1 }), {}, ['VSA_LEVEL_MISSING']],
    ['no dependency claim, when one is asked', () => vsaBundle(), { dependencyLevel: 'SLSA_BUILD_LEVEL_2' }, ['VSA_DEPENDENCY_LEVEL_TOO_LOW']],
    ['dependencies below the level asked', () => vsaBundle({ dependencyLevels: { SLSA_BUILD_LEVEL_3: 4, SLSA_BUILD_LEVEL_1: 1 } }), { dependencyLevel: 'SLSA_BUILD_LEVEL_2' }, ['VSA_DEPENDENCY_LEVEL_TOO_LOW']],
    ['a predicate without verifier', () => vsaBundle({}, (p) => delete p.verifier), {}, ['VSA_PREDICATE_INVALID']],
  ];
  for (const [name, bundle, expected, want] of cases) {
    it(`${name} -> ${want.join(', ')}`, async () => {
      const result = verifyVsa(await bundle(), ARTIFACT_DIGEST, trust, { ...EXPECTED, ...expected }, NOW);
      assert.deepEqual(codes(result), want);
      assert.equal(result.ok, false);
    });
  }

  it('accepts dependencies all at the level asked or higher (other tracks and zero counts do not count)', async () => {
    const bundle = await vsaBundle({ dependencyLevels: { SLSA_BUILD_LEVEL_3: 4, SLSA_BUILD_LEVEL_2: 2, SLSA_BUILD_LEVEL_1: 0, SLSA_SOURCE_LEVEL_1: 3 } });
    assert.deepEqual(verifyVsa(bundle, ARTIFACT_DIGEST, trust, { ...EXPECTED, dependencyLevel: 'SLSA_BUILD_LEVEL_2' }, NOW).findings, []);
  });

  it('a (verifier id, signer) pair: the id is accepted only from the signer named for it', async () => {
    const other = testKey('ecdsa-p256', true);
    const both = createTrust({ publicKeys: [verifierKey.publicKeyPem, other.publicKeyPem] });
    const byOther = await signedBundle(buildVsa(INPUT).statement as unknown as Record<string, unknown>, other);
    const pairs = { ...EXPECTED, verifiers: [{ id: PROVENANT_VERIFIER_ID, signer: { keyId: verifierKey.keyId } }] };
    assert.deepEqual(codes(verifyVsa(byOther, ARTIFACT_DIGEST, both, pairs, NOW)), ['VSA_VERIFIER_MISMATCH']);
    assert.deepEqual(verifyVsa(await vsaBundle(), ARTIFACT_DIGEST, both, pairs, NOW).findings, []);
  });

  it('another artifact -> SUBJECT_DIGEST_MISMATCH; not a VSA -> PREDICATE_TYPE_MISMATCH', async () => {
    assert.deepEqual(codes(verifyVsa(await vsaBundle(), OTHER_DIGEST, trust, EXPECTED, NOW)), ['SUBJECT_DIGEST_MISMATCH']);
    const provenance = await signedBundle(provenantStatement(), verifierKey);
    assert.deepEqual(codes(verifyVsa(provenance, ARTIFACT_DIGEST, trust, EXPECTED, NOW)), ['PREDICATE_TYPE_MISMATCH']);
  });

  it('an untrusted signer stops before any VSA field is read', async () => {
    const result = verifyVsa(await vsaBundle({ resourceUri: 'https://example.com/other.tgz' }), ARTIFACT_DIGEST, createTrust({ publicKeys: [testKey('ed25519').publicKeyPem] }), EXPECTED, NOW);
    assert.equal(result.ok, false);
    assert.ok(codes(result).every((c) => c === 'KEY_UNTRUSTED' || c === 'SIGNATURE_INVALID'), codes(result).join());
    assert.equal(result.vsa, undefined);
  });

  it('expectations that would check nothing are POLICY_INVALID', async () => {
    const result = verifyVsa(await vsaBundle(), ARTIFACT_DIGEST, trust, { verifiers: [], resourceUri: '', levels: [] }, NOW);
    assert.deepEqual(codes(result), ['POLICY_INVALID', 'POLICY_INVALID', 'POLICY_INVALID']);
  });
});
