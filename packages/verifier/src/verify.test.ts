import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { digestBytes, isProvenantError, serializeBundle, signToEnvelope, loadPrivateKey } from '@provenant/core';
import { bundleFromJSON } from '@sigstore/bundle';
import type { Policy } from './policy.ts';
import { ARTIFACT, ARTIFACT_DIGEST, BUILDER_ID, NOW, bundleJson, payloadOf, provenantStatement, signedBundle, testKey } from './testing/fixtures.ts';
import { createTrust } from './trust.ts';
import { verify } from './verify.ts';

const trust = createTrust({ publicKeys: [testKey().publicKeyPem] });
const policy: Policy = { builder: { ids: [BUILDER_ID] }, source: { uris: ['https://github.com/acme/app'] }, maxAge: '1d' };
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provenant-verifier-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const line = async (pair = testKey()) => JSON.stringify(await bundleJson(provenantStatement(), pair));

describe('verify (I/O edge)', () => {
  it('verifies an artifact file against a bundle file', async () => {
    const result = await verify({ artifact: { path: await file('app.tgz', ARTIFACT) }, bundle: { path: await file('app.sigstore.json', `${await line()}\n`) }, trust, policy, now: NOW });
    assert.deepEqual(result.findings, []);
    assert.equal(result.ok, true);
    assert.equal(result.signer?.keyId, testKey().keyId);
  });

  it('takes the artifact as bytes or as a digest reference', async () => {
    const bundle = { text: await line() };
    for (const artifact of [{ bytes: ARTIFACT }, { digest: `sha256:${ARTIFACT_DIGEST.sha256.toUpperCase()}` }, { digest: ARTIFACT_DIGEST }]) {
      const result = await verify({ artifact, bundle, trust, policy, now: NOW });
      assert.equal(result.ok, true, JSON.stringify(artifact));
    }
  });

  it('hashes with the algorithm the subjects use (sha512-only subjects)', async () => {
    const statement = provenantStatement((s) => (s.subject = [{ name: 'pkg.tgz', digest: digestBytes(ARTIFACT, ['sha512']) }]));
    const bundle = [await signedBundle(statement)];
    const ok = await verify({ artifact: { bytes: ARTIFACT }, bundle, trust, policy, now: NOW });
    assert.deepEqual(ok.findings, []);
    const other = await verify({ artifact: { bytes: Buffer.from('other') }, bundle, trust, policy, now: NOW });
    assert.deepEqual(other.findings.map((f) => f.code), ['SUBJECT_DIGEST_MISMATCH']);
  });

  it('a JSONL file where only the second bundle passes reports the passing one', async () => {
    const text = `${await line(testKey('ecdsa-p384', true))}\n${await line()}\n`;
    const result = await verify({ artifact: { bytes: ARTIFACT }, bundle: { path: await file('two.jsonl', text) }, trust, policy, now: NOW });
    assert.equal(result.ok, true);
    assert.deepEqual(result.findings, []);
    assert.equal(result.signer?.keyId, testKey().keyId);
  });

  it('a JSONL file where nothing passes reports the findings of all, by attestation', async () => {
    const stranger = testKey('ed25519', true);
    const text = `${await line(stranger)}\n${JSON.stringify(signToEnvelope(payloadOf(provenantStatement()), loadPrivateKey(testKey().privateKeyPem)))}\n`;
    const result = await verify({ artifact: { bytes: Buffer.from('other') }, bundle: { text }, trust, policy, now: NOW });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.path]),
      [
        ['KEY_UNTRUSTED', 'attestations[0].verificationMaterial.publicKey.hint'],
        ['SUBJECT_DIGEST_MISMATCH', 'attestations[1].subject'],
      ],
    );
  });

  it('uses the current time when none is given', async () => {
    const fresh = provenantStatement((s) => ((s.predicate.runDetails as { metadata: Record<string, string> }).metadata.finishedOn = new Date().toISOString()));
    const bundle = { text: serializeBundleOf(await bundleJson(fresh)) };
    assert.equal((await verify({ artifact: { bytes: ARTIFACT }, bundle, trust, policy: { maxAge: '1h' } })).ok, true);
    const stale = await verify({ artifact: { bytes: ARTIFACT }, bundle: { text: await line() }, trust, policy: { maxAge: '1h' } });
    assert.deepEqual(stale.findings.map((f) => f.code), ['ATTESTATION_TOO_OLD']);
  });

  const unusable: { name: string; input: () => Promise<Parameters<typeof verify>[0]>; code: string }[] = [
    { name: 'a malformed bundle file', input: async () => ({ artifact: { bytes: ARTIFACT }, bundle: { path: await file('bad.json', '{"mediaType": 1}') }, trust, policy }), code: 'BUNDLE_MALFORMED' },
    { name: 'a missing bundle file', input: async () => ({ artifact: { bytes: ARTIFACT }, bundle: { path: join(dir, 'missing.json') }, trust, policy }), code: 'FILE_UNREADABLE' },
    { name: 'a missing artifact file', input: async () => ({ artifact: { path: join(dir, 'missing.tgz') }, bundle: { text: await line() }, trust, policy }), code: 'FILE_UNREADABLE' },
    { name: 'a malformed digest reference', input: async () => ({ artifact: { digest: 'sha1:abcd' }, bundle: { text: await line() }, trust, policy }), code: 'DIGEST_INVALID' },
    { name: 'no attestations', input: async () => ({ artifact: { bytes: ARTIFACT }, bundle: [], trust, policy }), code: 'BUNDLE_MALFORMED' },
  ];
  for (const c of unusable) {
    it(`throws ${c.code} for ${c.name}`, async () => {
      const input = await c.input();
      await assert.rejects(verify(input), (e) => isProvenantError(e) && e.code === c.code);
    });
  }
});

function serializeBundleOf(json: Record<string, unknown>): string {
  return serializeBundle(bundleFromJSON(json));
}
