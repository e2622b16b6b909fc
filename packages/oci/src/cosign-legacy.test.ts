import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProvenantError, parseAttestations } from '@provenant/core';
import { legacyLayerToAttestation } from './cosign-legacy.ts';

// Throwaway self-signed certificates made at run time; their keys stay in a temp dir that is removed.
let dir = '';
let leafPem = '';
let chainPem = '';
function selfSigned(name: string): string {
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-days', '1', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`)],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(join(dir, `${name}.pem`), 'utf8');
}
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'provenant-oci-cosign-'));
  leafPem = selfSigned('leaf');
  chainPem = selfSigned('intermediate') + selfSigned('root');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const derBase64 = (pem: string) => new X509Certificate(pem).raw.toString('base64');

const ENVELOPE = {
  payloadType: 'application/vnd.in-toto+json',
  payload: Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}').toString('base64'),
  signatures: [{ keyid: '', sig: Buffer.from('not really a signature').toString('base64') }],
};
const layer = (value: unknown = ENVELOPE) => Buffer.from(JSON.stringify(value));

const LOG_ID = 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d';
const BODY = Buffer.from(JSON.stringify({ apiVersion: '0.0.1', kind: 'intoto', spec: {} })).toString('base64');
const SET = Buffer.from('signed entry timestamp').toString('base64');
function rekorAnnotation(overrides: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ SignedEntryTimestamp: SET, Payload: { body: BODY, integratedTime: 1_700_000_000, logIndex: 123_456, logID: LOG_ID, ...overrides }, ...top });
}

interface BundleJson {
  mediaType: string;
  verificationMaterial: {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    tlogEntries: Record<string, unknown>[];
    timestampVerificationData?: { rfc3161Timestamps: { signedTimestamp: string }[] };
  };
  dsseEnvelope: typeof ENVELOPE;
}

function malformed(err: unknown): boolean {
  return isProvenantError(err) && err.code === 'BUNDLE_MALFORMED' && err.message.startsWith('legacy cosign attestation:');
}

describe('legacyLayerToAttestation', () => {
  it('returns a key-signed layer (no certificate) as the DSSE envelope itself', () => {
    for (const annotations of [undefined, {}, { 'dev.sigstore.cosign/certificate': '' }] as (Record<string, string> | undefined)[]) {
      const text = legacyLayerToAttestation(layer(), annotations);
      assert.deepEqual(JSON.parse(text), ENVELOPE);
      const [att] = parseAttestations(text);
      assert.equal(att?.kind, 'envelope');
    }
  });

  it('makes a v0.3 bundle with the certificate when there is no Rekor entry', () => {
    const text = legacyLayerToAttestation(layer(), { 'dev.sigstore.cosign/certificate': leafPem, 'dev.sigstore.cosign/chain': chainPem });
    const bundle = JSON.parse(text) as BundleJson;
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.deepEqual(bundle.verificationMaterial.certificate, { rawBytes: derBase64(leafPem) });
    assert.equal(bundle.verificationMaterial.x509CertificateChain, undefined);
    assert.deepEqual(bundle.verificationMaterial.tlogEntries, []);
    assert.deepEqual(bundle.dsseEnvelope, ENVELOPE);
    const [att] = parseAttestations(text);
    assert.equal(att?.kind, 'bundle');
  });

  it('makes a v0.1 bundle with the chain and the Rekor entry as an inclusion promise', () => {
    const text = legacyLayerToAttestation(layer(), {
      'dev.sigstore.cosign/certificate': leafPem,
      'dev.sigstore.cosign/chain': chainPem,
      'dev.sigstore.cosign/bundle': rekorAnnotation(),
    });
    const bundle = JSON.parse(text) as BundleJson;
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle+json;version=0.1');
    const [intermediate, rootCert] = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    assert.deepEqual(
      bundle.verificationMaterial.x509CertificateChain?.certificates.map((c) => c.rawBytes),
      [derBase64(leafPem), derBase64(intermediate!), derBase64(rootCert!)],
    );
    assert.equal(bundle.verificationMaterial.certificate, undefined);
    assert.deepEqual(bundle.verificationMaterial.tlogEntries, [
      {
        logIndex: '123456',
        logId: { keyId: Buffer.from(LOG_ID, 'hex').toString('base64') },
        kindVersion: { kind: 'intoto', version: '0.0.1' },
        integratedTime: '1700000000',
        inclusionPromise: { signedEntryTimestamp: SET },
        canonicalizedBody: BODY,
      },
    ]);
    assert.equal(bundle.verificationMaterial.timestampVerificationData, undefined);
    const [att] = parseAttestations(text);
    assert.equal(att?.kind, 'bundle');
  });

  it('takes the leaf alone when there is no chain annotation', () => {
    const text = legacyLayerToAttestation(layer(), { 'dev.sigstore.cosign/certificate': leafPem, 'dev.sigstore.cosign/bundle': rekorAnnotation() });
    const bundle = JSON.parse(text) as BundleJson;
    assert.deepEqual(bundle.verificationMaterial.x509CertificateChain?.certificates, [{ rawBytes: derBase64(leafPem) }]);
  });

  it('carries an RFC 3161 timestamp annotation as timestamp verification data', () => {
    const tst = Buffer.from('a DER TimeStampResp').toString('base64');
    for (const rekor of [undefined, rekorAnnotation()]) {
      const annotations: Record<string, string> = { 'dev.sigstore.cosign/certificate': leafPem, 'dev.sigstore.cosign/rfc3161timestamp': JSON.stringify({ SignedRFC3161Timestamp: tst }) };
      if (rekor !== undefined) annotations['dev.sigstore.cosign/bundle'] = rekor;
      const bundle = JSON.parse(legacyLayerToAttestation(layer(), annotations)) as BundleJson;
      assert.deepEqual(bundle.verificationMaterial.timestampVerificationData, { rfc3161Timestamps: [{ signedTimestamp: tst }] });
    }
  });

  it('keeps only payload, payloadType and signatures (sig, keyid) of the envelope', () => {
    const extra = { ...ENVELOPE, extra: 'dropped', signatures: [{ sig: ENVELOPE.signatures[0]!.sig, keyid: 7, other: 1 }] };
    const bundle = JSON.parse(legacyLayerToAttestation(layer(extra), { 'dev.sigstore.cosign/certificate': leafPem })) as BundleJson;
    assert.deepEqual(bundle.dsseEnvelope, { payload: ENVELOPE.payload, payloadType: ENVELOPE.payloadType, signatures: [{ sig: ENVELOPE.signatures[0]!.sig, keyid: '' }] });
  });

  describe('malformed input → BUNDLE_MALFORMED', () => {
    const withCert = (extra: Record<string, string>) => ({ 'dev.sigstore.cosign/certificate': leafPem, ...extra });
    const cases: [string, Uint8Array, () => Record<string, string>][] = [
      ['a layer that is not JSON', Buffer.from('{not json'), () => ({})],
      ['a layer that is a JSON array', Buffer.from('[]'), () => ({})],
      ['a layer that is JSON null', Buffer.from('null'), () => ({})],
      ['a certificate that is not PEM', layer(), () => ({ 'dev.sigstore.cosign/certificate': 'not a certificate' })],
      ['a certificate PEM with a broken body', layer(), () => ({ 'dev.sigstore.cosign/certificate': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })],
      ['a chain certificate with a broken body', layer(), () => withCert({ 'dev.sigstore.cosign/chain': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })],
      ['a Rekor annotation that is not JSON', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': '{"SignedEntryTimestamp":' })],
      ['a Rekor annotation that is JSON null', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': 'null' })],
      ['a Rekor annotation without SignedEntryTimestamp', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({}, { SignedEntryTimestamp: undefined }) })],
      ['a Rekor annotation without Payload', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': JSON.stringify({ SignedEntryTimestamp: SET }) })],
      ['a Rekor annotation without body', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ body: undefined }) })],
      ['a Rekor annotation without logID', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ logID: undefined }) })],
      ['a non-hex logID', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ logID: 'z'.repeat(64) }) })],
      ['an uppercase-hex logID', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ logID: LOG_ID.toUpperCase() }) })],
      ['a short logID', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ logID: LOG_ID.slice(2) }) })],
      ['a string integratedTime', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ integratedTime: '1700000000' }) })],
      ['a fractional integratedTime', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ integratedTime: 1.5 }) })],
      ['a missing logIndex', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ logIndex: undefined }) })],
      ['an unsafe-integer logIndex', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ logIndex: 2 ** 60 }) })],
      ['a body that is not base64 JSON', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ body: Buffer.from('nope').toString('base64') }) })],
      ['a body without kind and apiVersion', layer(), () => withCert({ 'dev.sigstore.cosign/bundle': rekorAnnotation({ body: Buffer.from('{"spec":{}}').toString('base64') }) })],
      ['an RFC 3161 annotation that is not JSON', layer(), () => withCert({ 'dev.sigstore.cosign/rfc3161timestamp': 'MII' })],
      ['an RFC 3161 annotation without SignedRFC3161Timestamp', layer(), () => withCert({ 'dev.sigstore.cosign/rfc3161timestamp': '{"other":"x"}' })],
      ['an RFC 3161 annotation that is JSON null', layer(), () => withCert({ 'dev.sigstore.cosign/rfc3161timestamp': 'null' })],
    ];
    for (const [name, bytes, annotations] of cases) {
      it(`refuses ${name}`, () => {
        assert.throws(() => legacyLayerToAttestation(bytes, annotations()), malformed);
      });
    }
  });
});
