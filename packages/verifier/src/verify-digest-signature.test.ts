import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyDigestSignature } from './verify-digest-signature.ts';

const MESSAGE = Buffer.from('the artifact\n');
const digest = (alg: string, data = MESSAGE) => createHash(alg).update(data).digest();

describe('verifyDigestSignature (a signature checked against a digest only)', () => {
  const ecdsa: ['P-256' | 'P-384' | 'P-521', 'sha256' | 'sha384' | 'sha512'][] = [
    ['P-256', 'sha256'],
    ['P-384', 'sha384'],
    ['P-384', 'sha256'], // Fulcio P-384 keys with SHA-256 message digests, as in the conformance suite
    ['P-521', 'sha512'],
  ];
  for (const [curve, alg] of ecdsa) {
    it(`ECDSA ${curve} over ${alg}: the right digest verifies, another does not`, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const sig = sign(alg, MESSAGE, privateKey);
      assert.equal(verifyDigestSignature(publicKey, alg, digest(alg), sig), true);
      assert.equal(verifyDigestSignature(publicKey, alg, digest(alg, Buffer.from('other')), sig), false);
      assert.equal(verifyDigestSignature(generateKeyPairSync('ec', { namedCurve: curve }).publicKey, alg, digest(alg), sig), false, 'another key');
    });
  }

  it('refuses raw r||s and malformed DER', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const raw = sign('sha256', MESSAGE, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    assert.equal(verifyDigestSignature(publicKey, 'sha256', digest('sha256'), raw), false);
    const der = sign('sha256', MESSAGE, privateKey);
    assert.equal(verifyDigestSignature(publicKey, 'sha256', digest('sha256'), Buffer.concat([der, Buffer.from([0])])), false, 'trailing byte');
    assert.equal(verifyDigestSignature(publicKey, 'sha256', digest('sha256'), Buffer.alloc(0)), false);
  });

  it('RSA PKCS#1 v1.5 by its DigestInfo; Ed25519 signs messages, not digests', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sig = sign('sha256', MESSAGE, rsa.privateKey);
    assert.equal(verifyDigestSignature(rsa.publicKey, 'sha256', digest('sha256'), sig), true);
    assert.equal(verifyDigestSignature(rsa.publicKey, 'sha512', digest('sha512'), sig), false);
    const ed = generateKeyPairSync('ed25519');
    assert.equal(verifyDigestSignature(ed.publicKey, 'sha256', digest('sha256'), sign(null, MESSAGE, ed.privateKey)), false);
  });
});
