import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARTIFACT_DIGEST, BUILDER_ID, NOW, OTHER_DIGEST, provenantStatement, signedBundle, testKey } from '../testing/fixtures.ts';
import { createTrust } from '../trust.ts';
import type { VerifyResult } from '../verify-attestation.ts';
import { verifyAttestation } from '../verify-attestation.ts';
import { type TrustedBuilder, buildLevelName, computeBuildLevel } from './build-level.ts';

const trust = createTrust({ publicKeys: [testKey().publicKeyPem] });
const keyId = testKey().keyId;

async function passing(): Promise<VerifyResult> {
  const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, trust, {}, NOW);
  assert.equal(result.ok, true);
  return result;
}

describe('computeBuildLevel', () => {
  it('is 0 when the verification failed', async () => {
    const failed = verifyAttestation(await signedBundle(provenantStatement()), OTHER_DIGEST, trust, {}, NOW);
    const { level, reasons } = computeBuildLevel(failed, { trustedBuilders: [{ builderId: BUILDER_ID, signer: { keyId }, maxLevel: 3 }] });
    assert.equal(level, 0);
    assert.match(reasons[0]!, /SUBJECT_DIGEST_MISMATCH/);
  });

  it('is 0 for a passing statement that is not SLSA provenance (a VSA, an SBOM)', async () => {
    const vsa = provenantStatement((s) => {
      s.predicateType = 'https://slsa.dev/verification_summary/v1';
    });
    const result = verifyAttestation(await signedBundle(vsa), ARTIFACT_DIGEST, trust, { predicateTypes: ['https://slsa.dev/verification_summary/v1'] }, NOW);
    assert.equal(result.ok, true);
    assert.equal(computeBuildLevel(result, {}).level, 0);
  });

  it('is 1 by default: provenance exists and verifies, the builder is in no root of trust', async () => {
    const { level, reasons } = computeBuildLevel(await passing(), {});
    assert.equal(level, 1);
    assert.match(reasons.at(-1)!, /level 1 by default/);
  });

  it('is the maxLevel of the entry naming this (builder, signer): exact id or prefix at a boundary', async () => {
    const result = await passing();
    assert.equal(computeBuildLevel(result, { trustedBuilders: [{ builderId: BUILDER_ID, signer: { keyId }, maxLevel: 2 }] }).level, 2);
    assert.equal(computeBuildLevel(result, { trustedBuilders: [{ builderIdPrefix: 'https://provenant.dev/builders', signer: { keyId: keyId.toUpperCase() }, maxLevel: 3 }] }).level, 3);
    // A prefix that ends mid-segment names another builder.
    assert.equal(computeBuildLevel(result, { trustedBuilders: [{ builderIdPrefix: 'https://provenant.dev/build', signer: { keyId }, maxLevel: 3 }] }).level, 1);
  });

  it('takes the highest of several matching entries', async () => {
    const entries: TrustedBuilder[] = [
      { builderId: BUILDER_ID, signer: { keyId }, maxLevel: 2 },
      { builderIdPrefix: 'https://provenant.dev', signer: { keyId }, maxLevel: 3 },
    ];
    assert.equal(computeBuildLevel(await passing(), { trustedBuilders: entries }).level, 3);
  });

  it('ignores an entry for this builder signed by another key (levels are per (signer, builder) pair)', async () => {
    const other = testKey('ecdsa-p256', true).keyId;
    const { level, reasons } = computeBuildLevel(await passing(), { trustedBuilders: [{ builderId: BUILDER_ID, signer: { keyId: other }, maxLevel: 3 }] });
    assert.equal(level, 1);
    assert.match(reasons.join('\n'), /another signer/);
  });

  it('caps an entry without a signer at level 1: any trusted key could claim the builder id', async () => {
    const { level, reasons } = computeBuildLevel(await passing(), { trustedBuilders: [{ builderId: BUILDER_ID, maxLevel: 3 }] });
    assert.equal(level, 1);
    assert.match(reasons.join('\n'), /capped at level 1/);
  });

  it('matches a keyless identity only against a certificate signer', async () => {
    const identity = { subjectAlternativeName: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' };
    assert.equal(computeBuildLevel(await passing(), { trustedBuilders: [{ builderId: BUILDER_ID, signer: { identity }, maxLevel: 2 }] }).level, 1);
    const keyless: VerifyResult = { ...(await passing()), signer: { kind: 'certificate', identity: { ...identity, extensions: {} }, trustedRoot: 'public-good' } };
    assert.equal(computeBuildLevel(keyless, { trustedBuilders: [{ builderId: BUILDER_ID, signer: { identity }, maxLevel: 2 }] }).level, 2);
    const other = { ...identity, subjectAlternativeName: 'https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main' };
    assert.equal(computeBuildLevel(keyless, { trustedBuilders: [{ builderId: BUILDER_ID, signer: { identity: other }, maxLevel: 2 }] }).level, 1);
  });

  it('names levels as VSAs do', () => {
    assert.equal(buildLevelName(2), 'SLSA_BUILD_LEVEL_2');
  });
});
