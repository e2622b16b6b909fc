import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { isProvenantError, loadPrivateKey, loadPublicKey } from '@provenant/core';
import { testKey } from './testing/fixtures.ts';
import { createTrust } from './trust.ts';

describe('createTrust', () => {
  it('parses PEM and KeyObjects once, with provenant key ids, without duplicates', () => {
    const a = testKey('ecdsa-p256');
    const b = testKey('ed25519');
    const trust = createTrust({ publicKeys: [a.publicKeyPem, loadPublicKey(b.publicKeyPem), a.publicKeyPem] });
    assert.deepEqual(
      trust.publicKeys.map((k) => k.keyId),
      [a.keyId, b.keyId],
    );
    assert.equal(trust.publicKeys[0]?.key.type, 'public');
    assert.ok(Object.isFrozen(trust.publicKeys));
  });

  it('no keys is valid trust material that constrains nothing', () => {
    assert.deepEqual(createTrust({}).publicKeys, []);
  });

  const bad: [string, () => unknown][] = [
    ['a private key PEM', () => testKey().privateKeyPem],
    ['a private KeyObject', () => loadPrivateKey(testKey().privateKeyPem)],
    ['text that is no key', () => 'hello'],
    ['an unsupported curve', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey],
  ];
  for (const [name, key] of bad) {
    it(`refuses ${name} with KEY_INVALID`, () => {
      assert.throws(() => createTrust({ publicKeys: [key() as string] }), (e) => isProvenantError(e) && e.code === 'KEY_INVALID');
    });
  }
});
