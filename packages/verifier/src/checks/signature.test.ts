import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation, loadPrivateKey, pae, signingHashOf } from '@provenant/core';
import { toSignedEnvelope } from '../signed-envelope.ts';
import { bundleJson, loadBundle, signedEnvelope, testKey } from '../testing/fixtures.ts';
import { createTrust } from '../trust.ts';
import { verifyKeySignature } from './signature.ts';

// A small payload, so that every single byte can be changed in turn.
const SMALL = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"00"}}],"predicateType":"x"}');

function outcome(att: LoadedAttestation, trust = createTrust({ publicKeys: [testKey().publicKeyPem] })) {
  const extracted = toSignedEnvelope(att);
  if ('finding' in extracted) return { ok: false as const, finding: extracted.finding };
  return verifyKeySignature(extracted.envelope, trust);
}

function codeOf(result: ReturnType<typeof outcome>): string {
  return result.ok ? 'ok' : result.finding.code;
}

function envelopeWith(payloadType: string, payload: Buffer, sig: Buffer): LoadedAttestation {
  return { kind: 'envelope', envelope: { payloadType, payload, signatures: [{ keyid: testKey().keyId, sig }] } };
}

describe('verifyKeySignature', () => {
  for (const type of ['ecdsa-p256', 'ed25519'] as const) {
    it(`${type}: every single-byte change of the bundle payload fails with SIGNATURE_INVALID`, async () => {
      const pair = testKey(type);
      const trust = createTrust({ publicKeys: [pair.publicKeyPem] });
      const json = (await bundleJson(SMALL, pair)) as { dsseEnvelope: { payload: string } };
      assert.equal(codeOf(outcome(loadBundle(json), trust)), 'ok');
      const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
      for (let i = 0; i < payload.length; i++) {
        const changed = Buffer.from(payload);
        changed[i]! ^= 0x01;
        const tampered = structuredClone(json);
        tampered.dsseEnvelope.payload = changed.toString('base64');
        assert.equal(codeOf(outcome(loadBundle(tampered), trust)), 'SIGNATURE_INVALID', `payload byte ${i}`);
      }
    });

    it(`${type}: every single-byte change of the signature fails with SIGNATURE_INVALID`, async () => {
      const pair = testKey(type);
      const trust = createTrust({ publicKeys: [pair.publicKeyPem] });
      const json = (await bundleJson(SMALL, pair)) as { dsseEnvelope: { signatures: { sig: string }[] } };
      const sig = Buffer.from(json.dsseEnvelope.signatures[0]!.sig, 'base64');
      for (let i = 0; i < sig.length; i++) {
        for (const mask of [0x01, 0x80]) {
          const changed = Buffer.from(sig);
          changed[i]! ^= mask;
          const tampered = structuredClone(json);
          tampered.dsseEnvelope.signatures[0]!.sig = changed.toString('base64');
          assert.equal(codeOf(outcome(loadBundle(tampered), trust)), 'SIGNATURE_INVALID', `signature byte ${i} ^ ${mask}`);
        }
      }
    });
  }

  it('every single-byte change of a bare envelope payload fails with SIGNATURE_INVALID', () => {
    const att = signedEnvelope(SMALL);
    assert.equal(codeOf(outcome(att)), 'ok');
    assert.equal(att.kind, 'envelope');
    const { envelope } = att as Extract<LoadedAttestation, { kind: 'envelope' }>;
    for (let i = 0; i < envelope.payload.length; i++) {
      const changed = Buffer.from(envelope.payload);
      changed[i]! ^= 0x01;
      assert.equal(codeOf(outcome({ kind: 'envelope', envelope: { ...envelope, payload: changed } })), 'SIGNATURE_INVALID', `payload byte ${i}`);
    }
  });

  it('a changed payload type fails: the signature covers it through PAE', () => {
    const { envelope } = signedEnvelope(SMALL) as Extract<LoadedAttestation, { kind: 'envelope' }>;
    assert.equal(codeOf(outcome({ kind: 'envelope', envelope: { ...envelope, payloadType: 'application/vnd.in-toto+jsoN' } })), 'SIGNATURE_INVALID');
  });

  const key = () => loadPrivateKey(testKey().privateKeyPem);
  const der = () => sign(signingHashOf(key()), pae(INTOTO_PAYLOAD_TYPE, SMALL), key());
  const signatureCases: { name: string; sig: () => Buffer; code: string }[] = [
    { name: 'DER ECDSA signature', sig: der, code: 'ok' },
    { name: 'IEEE P1363 (raw r||s) signature is refused', sig: () => sign(signingHashOf(key()), pae(INTOTO_PAYLOAD_TYPE, SMALL), { key: key(), dsaEncoding: 'ieee-p1363' }), code: 'SIGNATURE_INVALID' },
    { name: 'DER with a trailing byte', sig: () => Buffer.concat([der(), Buffer.from([0])]), code: 'SIGNATURE_INVALID' },
    { name: 'truncated DER', sig: () => der().subarray(0, -1), code: 'SIGNATURE_INVALID' },
    { name: 'empty signature (no signature at all)', sig: () => Buffer.alloc(0), code: 'BUNDLE_MALFORMED' },
    { name: 'signature over the payload instead of PAE', sig: () => sign(signingHashOf(key()), SMALL, key()), code: 'SIGNATURE_INVALID' },
  ];
  for (const c of signatureCases) {
    it(`${c.name} -> ${c.code}`, () => {
      assert.equal(codeOf(outcome(envelopeWith(INTOTO_PAYLOAD_TYPE, SMALL, c.sig()))), c.code);
    });
  }

  it('one valid signature among several is enough', () => {
    const stranger = loadPrivateKey(testKey('ecdsa-p256', true).privateKeyPem);
    const att: LoadedAttestation = {
      kind: 'envelope',
      envelope: {
        payloadType: INTOTO_PAYLOAD_TYPE,
        payload: SMALL,
        signatures: [
          { keyid: 'stranger', sig: sign('sha256', pae(INTOTO_PAYLOAD_TYPE, SMALL), stranger) },
          { keyid: '', sig: sign(signingHashOf(key()), pae(INTOTO_PAYLOAD_TYPE, SMALL), key()) },
        ],
      },
    };
    const result = outcome(att);
    assert.ok(result.ok);
    assert.equal(result.signer.keyId, testKey().keyId);
  });

  it('an envelope that names no key and does not verify is SIGNATURE_INVALID, not KEY_UNTRUSTED', () => {
    const stranger = loadPrivateKey(testKey('ecdsa-p256', true).privateKeyPem);
    const att: LoadedAttestation = {
      kind: 'envelope',
      envelope: { payloadType: INTOTO_PAYLOAD_TYPE, payload: SMALL, signatures: [{ keyid: '', sig: sign('sha256', pae(INTOTO_PAYLOAD_TYPE, SMALL), stranger) }] },
    };
    assert.equal(codeOf(outcome(att)), 'SIGNATURE_INVALID');
  });
});
