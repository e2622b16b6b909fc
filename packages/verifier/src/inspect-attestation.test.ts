import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectAttestation } from './inspect-attestation.ts';
import { provenantStatement, signedBundle, signedEnvelope, testKey, withBundleJson } from './testing/fixtures.ts';

describe('inspectAttestation', () => {
  it('summarises a bundle signed by any key, trusting nothing', async () => {
    const stranger = testKey('ed25519', true);
    const summary = inspectAttestation(await signedBundle(provenantStatement(), stranger));
    assert.deepEqual(summary.keyHints, [stranger.keyId]);
    assert.equal(summary.signedWith, 'public-key');
    assert.equal(summary.signatureCount, 1);
    assert.equal(summary.view?.builderId, 'https://provenant.dev/builders/github-actions@v1');
    assert.equal(summary.view?.dependencies.length, 1);
    assert.deepEqual(summary.findings, []);
  });

  it('summarises a bare envelope by its DSSE keyid', () => {
    const summary = inspectAttestation(signedEnvelope(provenantStatement()));
    assert.deepEqual(summary.keyHints, [testKey().keyId]);
    assert.equal(summary.signedWith, 'none');
  });

  it('reports what cannot be read as provenance', async () => {
    const notJson = inspectAttestation(await signedBundle(Buffer.from('nope')));
    assert.deepEqual(notJson.findings.map((f) => f.code), ['STATEMENT_INVALID']);
    const message = inspectAttestation(
      withBundleJson(await signedBundle(provenantStatement()), (j) => {
        delete j.dsseEnvelope;
        j.messageSignature = { messageDigest: { algorithm: 'SHA2_256', digest: 'AAAA' }, signature: 'AAAA' };
      }),
    );
    assert.deepEqual(message.findings.map((f) => f.code), ['PAYLOAD_TYPE_UNSUPPORTED']);
  });
});
