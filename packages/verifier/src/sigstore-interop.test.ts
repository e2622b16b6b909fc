// Our bundle format, checked by Sigstore's own verifier rather than ours: if this passes, any
// sigstore-js based tool can verify what provenant signs with a key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPublicKey } from '@provenant/core';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, type TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { bundleJson, provenantStatement, testKey } from './testing/fixtures.ts';

const EMPTY_ROOT: TrustedRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

// Key trust: no transparency log, no certificate transparency, no timestamps.
const KEY_ONLY = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };

function sigstoreVerifier(keyType: 'ecdsa-p256' | 'ed25519') {
  const pair = testKey(keyType);
  const spkiDer = loadPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
  const keyDetails = keyType === 'ed25519' ? PublicKeyDetails.PKIX_ED25519 : PublicKeyDetails.PKIX_ECDSA_P256_SHA_256;
  return { pair, verifier: new Verifier(toTrustMaterial(EMPTY_ROOT, { [pair.keyId]: { rawBytes: spkiDer, keyDetails } }), KEY_ONLY) };
}

describe('@sigstore/verify accepts provenant bundles', () => {
  for (const keyType of ['ecdsa-p256', 'ed25519'] as const) {
    it(`${keyType}: verifies, finding the key by the bundle's hint`, async () => {
      const { pair, verifier } = sigstoreVerifier(keyType);
      const json = await bundleJson(provenantStatement(), pair);
      const signer = verifier.verify(toSignedEntity(bundleFromJSON(json)));
      assert.equal(signer.key.export({ type: 'spki', format: 'der' }).toString('hex'), loadPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' }).toString('hex'));
    });
  }

  it('and refuses the same bundle with a changed payload', async () => {
    const { pair, verifier } = sigstoreVerifier('ecdsa-p256');
    const json = (await bundleJson(provenantStatement(), pair)) as { dsseEnvelope: { payload: string } };
    const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
    payload[payload.length - 2]! ^= 0x01;
    json.dsseEnvelope.payload = payload.toString('base64');
    assert.throws(() => verifier.verify(toSignedEntity(bundleFromJSON(json))), (e) => (e as { code?: string }).code === 'SIGNATURE_ERROR');
  });

  it('and refuses a bundle whose hint names a key it does not know', async () => {
    const { verifier } = sigstoreVerifier('ecdsa-p256');
    const json = await bundleJson(provenantStatement(), testKey('ecdsa-p256', true));
    assert.throws(() => verifier.verify(toSignedEntity(bundleFromJSON(json))), (e) => (e as { code?: string }).code === 'PUBLIC_KEY_ERROR');
  });
});
