import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { bundleToJSON } from '@sigstore/bundle';
import { INTOTO_PAYLOAD_TYPE, pae } from './dsse.ts';
import { isProvenantError } from './errors.ts';
import { KEY_TYPES, generateKeyPair, keyIdOf, loadPrivateKey, loadPublicKey } from './keys.ts';
import { KeySigner, serializeBundle, signStatementToBundle } from './signer.ts';
import { parseAttestations } from './bundle-io.ts';

const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[]}');

describe('key signing', () => {
  for (const type of KEY_TYPES) {
    it(`signs a DSSE bundle v0.3 with ${type} that node:crypto verifies over PAE`, async () => {
      const pair = generateKeyPair(type);
      const bundle = await signStatementToBundle(payload, new KeySigner(loadPrivateKey(pair.privateKeyPem)));
      const json = bundleToJSON(bundle) as { mediaType: string; verificationMaterial: { publicKey: { hint: string } }; dsseEnvelope: { payloadType: string; payload: string; signatures: { sig: string }[] } };
      assert.equal(json.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
      assert.equal(json.verificationMaterial.publicKey.hint, pair.keyId);
      const env = json.dsseEnvelope;
      assert.equal(env.payloadType, INTOTO_PAYLOAD_TYPE);
      assert.deepEqual(Buffer.from(env.payload, 'base64'), payload);
      const hash = type === 'ed25519' ? null : type === 'ecdsa-p256' ? 'sha256' : 'sha384';
      const ok = verify(hash, pae(INTOTO_PAYLOAD_TYPE, payload), loadPublicKey(pair.publicKeyPem), Buffer.from(env.signatures[0]!.sig, 'base64'));
      assert.equal(ok, true);
      const [reread] = parseAttestations(serializeBundle(bundle));
      assert.equal(reread?.kind, 'bundle');
    });
  }

  it('PAE matches the DSSE spec example', () => {
    assert.equal(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('encrypted keys need the right passphrase', () => {
    const pair = generateKeyPair('ecdsa-p256', 'correct horse');
    assert.match(pair.privateKeyPem, /ENCRYPTED PRIVATE KEY/);
    assert.throws(() => loadPrivateKey(pair.privateKeyPem), (e) => isProvenantError(e) && e.code === 'KEY_PASSPHRASE_REQUIRED');
    assert.throws(() => loadPrivateKey(pair.privateKeyPem, 'wrong'), (e) => isProvenantError(e) && e.code === 'KEY_INVALID');
    const key = loadPrivateKey(pair.privateKeyPem, 'correct horse');
    assert.equal(keyIdOf(key), keyIdOf(createPublicKey(key)));
  });

  it('refuses a private key where a public key is expected', () => {
    const pair = generateKeyPair();
    assert.throws(() => loadPublicKey(pair.privateKeyPem), (e) => isProvenantError(e) && e.code === 'KEY_INVALID');
    assert.throws(() => loadPublicKey('not a key'), (e) => isProvenantError(e) && e.code === 'KEY_INVALID');
  });
});
