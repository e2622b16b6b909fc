// verifyAttestation on what is not provenance: message signatures (cosign sign-blob --key) and DSSE
// payloads that are not in-toto statements; plus the keyless trust rules that need no Sigstore stack.
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { digestBytes, loadPrivateKey } from '@provenant/core';
import type { FindingCode } from './finding.ts';
import { ARTIFACT, ARTIFACT_DIGEST, NOW, OTHER_DIGEST, loadBundle, provenantStatement, signedBundle, signedEnvelope, testKey } from './testing/fixtures.ts';
import { createTrust } from './trust.ts';
import { verifyAttestation } from './verify-attestation.ts';

const trust = createTrust({ publicKeys: [testKey().publicKeyPem] });
const codes = (r: { findings: { code: FindingCode }[] }) => r.findings.map((f) => f.code);

/** A v0.3 message-signature bundle over ARTIFACT, signed with a key (what cosign sign-blob --key writes, without its log entry). */
function messageBundle(signature?: Buffer, digest = ARTIFACT_DIGEST.sha256) {
  const sig = signature ?? sign('sha256', ARTIFACT, loadPrivateKey(testKey().privateKeyPem));
  return loadBundle({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: testKey().keyId }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(digest, 'hex').toString('base64') }, signature: sig.toString('base64') },
  });
}

describe('signed blobs', () => {
  it('a message signature by a trusted key over the artifact passes a policy that asks nothing of a statement', () => {
    const result = verifyAttestation(messageBundle(), ARTIFACT_DIGEST, trust, {}, NOW);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.subjects, [{ digest: ARTIFACT_DIGEST }]);
    assert.deepEqual(result.signer, { kind: 'key', keyId: testKey().keyId });
  });

  it('another artifact than the signed one: SUBJECT_DIGEST_MISMATCH', () => {
    assert.deepEqual(codes(verifyAttestation(messageBundle(), OTHER_DIGEST, trust, {}, NOW)), ['SUBJECT_DIGEST_MISMATCH']);
  });

  it('a signature that is not over the artifact: SIGNATURE_INVALID', () => {
    const wrong = sign('sha256', Buffer.from('something else'), loadPrivateKey(testKey().privateKeyPem));
    assert.deepEqual(codes(verifyAttestation(messageBundle(wrong), ARTIFACT_DIGEST, trust, {}, NOW)), ['SIGNATURE_INVALID']);
  });

  it('a policy about a statement fails a signed blob: PAYLOAD_TYPE_UNSUPPORTED', () => {
    assert.deepEqual(codes(verifyAttestation(messageBundle(), ARTIFACT_DIGEST, trust, { source: { uris: ['https://github.com/acme/app'] } }, NOW)), ['PAYLOAD_TYPE_UNSUPPORTED']);
  });

  it('a DSSE payload that is not a statement signs itself: the artifact must be the payload', async () => {
    const att = await signedBundle(ARTIFACT, testKey(), 'text/plain');
    assert.deepEqual(codes(verifyAttestation(att, digestBytes(ARTIFACT, ['sha256', 'sha512']), trust, {}, NOW)), []);
    assert.deepEqual(codes(verifyAttestation(att, OTHER_DIGEST, trust, {}, NOW)), ['SUBJECT_DIGEST_MISMATCH']);
    assert.deepEqual(codes(verifyAttestation(att, ARTIFACT_DIGEST, trust, { maxAge: '1d' }, NOW)), ['PAYLOAD_TYPE_UNSUPPORTED']);
  });
});

describe('trust', () => {
  it('an identity in the policy is a trust constraint, and refuses a key-signed bundle: KEY_UNTRUSTED', async () => {
    const policy = { identities: [{ subjectAlternativeName: 'https://github.com/acme/app/.github/workflows/r.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' }] };
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, createTrust({}), policy, NOW);
    assert.deepEqual(codes(result), ['KEY_UNTRUSTED']);
  });

  it('an unusable identity in a policy built in code is POLICY_INVALID and trusts no one', async () => {
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, createTrust({}), { identities: [{ subjectAlternativeName: 'x' }] }, NOW);
    assert.deepEqual(codes(result), ['POLICY_INVALID', 'NO_TRUST_CONSTRAINT']);
  });

  it('keyVerification sigstore checks a key-signed bundle against the root\'s thresholds: no log entry, no verified time (TIMESTAMP_INVALID)', async () => {
    const strict = createTrust({ publicKeys: [testKey().publicKeyPem], keyVerification: 'sigstore' });
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, strict, {}, NOW);
    assert.deepEqual(codes(result), ['TIMESTAMP_INVALID']);
    // The default: provenant's own key-signed bundles carry no log entry and verify by their signature.
    assert.deepEqual(codes(verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, trust, {}, NOW)), []);
  });

  it('createTrust refuses an identity without an issuer constraint (POLICY_INVALID)', () => {
    assert.throws(() => createTrust({ identities: [{ subjectAlternativeName: 'a@example.com' }] }), /identities\[0\] needs exactly one of issuer/);
  });
});

describe('minBundleVersion', () => {
  it('passes a bundle at or above it; fails an older bundle or a bare envelope with BUNDLE_VERSION_TOO_OLD', async () => {
    const bundle = await signedBundle(provenantStatement());
    assert.deepEqual(codes(verifyAttestation(bundle, ARTIFACT_DIGEST, trust, { minBundleVersion: '0.3' }, NOW)), []);
    assert.deepEqual(codes(verifyAttestation(signedEnvelope(provenantStatement()), ARTIFACT_DIGEST, trust, { minBundleVersion: '0.1' }, NOW)), ['BUNDLE_VERSION_TOO_OLD']);
    const v01 = { ...bundle, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1' };
    assert.deepEqual(codes(verifyAttestation(v01, ARTIFACT_DIGEST, trust, { minBundleVersion: '0.2' }, NOW)), ['BUNDLE_VERSION_TOO_OLD']);
    assert.deepEqual(codes(verifyAttestation(bundle, ARTIFACT_DIGEST, trust, { minBundleVersion: '1.0' }, NOW)), ['POLICY_INVALID']);
  });
});
