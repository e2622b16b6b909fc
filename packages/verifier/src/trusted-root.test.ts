import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { createTrust } from './trust.ts';
import { loadTrustedRoot, parseTrustedRootText, publicGoodJson } from './trusted-root.ts';

type Json = Record<string, unknown>;
const spki = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** The public-good root with a change: a real, valid starting point for each malformation. */
function changed(change: (root: Json & { tlogs: Json[]; ctlogs: Json[]; certificateAuthorities: Json[] }) => void): Json {
  const root = structuredClone(publicGoodJson()) as Json & { tlogs: Json[]; ctlogs: Json[]; certificateAuthorities: Json[] };
  change(root);
  return root;
}

const invalid = (pattern: RegExp) => (e: unknown) => isProvenantError(e) && e.code === 'TRUSTED_ROOT_INVALID' && pattern.test(e.message);

describe('trusted roots', () => {
  it('ships the public-good root offline, parsed once, requiring a log entry, an SCT and a verified time', () => {
    const root = loadTrustedRoot('public-good');
    assert.equal(root.source, 'public-good');
    assert.ok(root.material.tlogs.length >= 1 && root.material.certificateAuthorities.length >= 1);
    assert.deepEqual({ ...root.thresholds }, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
    assert.equal(loadTrustedRoot('public-good'), root, 'cached');
  });

  it('derives no log and no SCT requirement for an instance without them (GitHub), and takes explicit thresholds', () => {
    const github = changed((r) => {
      r.tlogs = [];
      r.ctlogs = [];
    });
    assert.deepEqual({ ...loadTrustedRoot(github).thresholds }, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 1 });
    assert.equal(loadTrustedRoot({ root: 'public-good', thresholds: { tlogThreshold: 2 } }).thresholds.tlogThreshold, 2);
    assert.throws(() => loadTrustedRoot({ root: 'public-good', thresholds: { timestampThreshold: -1 } }), invalid(/timestampThreshold/));
  });

  it('is the default of createTrust when identities are trusted, and absent otherwise', () => {
    const id = { subjectAlternativeName: 'a@example.com', issuer: 'https://accounts.example.com' };
    assert.equal(createTrust({ identities: [id] }).trustedRoots[0]?.source, 'public-good');
    assert.equal(createTrust({ keyVerification: 'sigstore' }).trustedRoots.length, 1);
    assert.deepEqual(createTrust({}).trustedRoots, []);
    assert.deepEqual(createTrust({ identities: [id], trustedRoots: [] }).trustedRoots, []);
  });

  const malformed: [string, () => unknown, RegExp][] = [
    ['a log key without a validity start (sigstore-conformance trust-root-tlog-missing-validity-start)', () => changed((r) => delete (r.tlogs[0]!.publicKey as Json).validFor), /tlogs\[0\]\.publicKey\.validFor is missing/],
    ['an empty validity period', () => changed((r) => ((r.tlogs[0]!.publicKey as Json).validFor = { end: '2030-01-01T00:00:00Z' })), /tlogs\[0\]\.publicKey\.validFor\.start is missing/],
    ['a CT log without a start', () => changed((r) => ((r.ctlogs[1]!.publicKey as Json).validFor = {})), /ctlogs\[1\]\.publicKey\.validFor\.start/],
    ['a CA without a validity period', () => changed((r) => delete r.certificateAuthorities[0]!.validFor), /certificateAuthorities\[0\]\.validFor/],
    ['a time that is not RFC 3339', () => changed((r) => ((r.tlogs[0]!.publicKey as Json).validFor = { start: 'yesterday' })), /not an RFC 3339 time/],
    ['a validity that ends before it starts', () => changed((r) => ((r.tlogs[0]!.publicKey as Json).validFor = { start: '2030-01-01T00:00:00Z', end: '2020-01-01T00:00:00Z' })), /ends before it starts/],
    ['a log key that is no key', () => changed((r) => ((r.tlogs[0]!.publicKey as Json).rawBytes = Buffer.from('nope').toString('base64'))), /tlogs\[0\]\.publicKey is not a public key/],
    ['a CA certificate that is no certificate', () => changed((r) => ((r.certificateAuthorities[0]!.certChain as Json).certificates = [{ rawBytes: spki() }])), /is not an X\.509 certificate/],
    ['a CA without certificates', () => changed((r) => ((r.certificateAuthorities[0]!.certChain as Json).certificates = [])), /certChain\.certificates must be a non-empty list/],
    ['a log without a log id', () => changed((r) => delete r.tlogs[0]!.logId), /tlogs\[0\]\.logId/],
    ['another media type', () => changed((r) => (r.mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json')), /mediaType/],
    ['tlogs that are not a list', () => changed((r) => ((r as Json).tlogs = {})), /tlogs must be a list/],
  ];
  for (const [name, root, pattern] of malformed) {
    it(`refuses ${name} with TRUSTED_ROOT_INVALID`, () => {
      assert.throws(() => loadTrustedRoot({ root: root() as Json, source: 'root.json' }), invalid(new RegExp(`^root\\.json: .*${pattern.source}`)));
    });
  }

  it('refuses text that is not a JSON object, naming the file', () => {
    assert.throws(() => parseTrustedRootText('{"mediaType":', 'r.json'), invalid(/^r\.json: not JSON/));
    assert.throws(() => parseTrustedRootText('[]', 'r.json'), invalid(/^r\.json: not a JSON object/));
    assert.equal(typeof parseTrustedRootText(JSON.stringify(publicGoodJson())), 'object');
  });

  it('keeps every CA certificate, to check a bundle\'s embedded chain against', () => {
    const root = loadTrustedRoot('public-good');
    const certs = (publicGoodJson().certificateAuthorities as { certChain: { certificates: { rawBytes: string }[] } }[]).flatMap((ca) => ca.certChain.certificates.map((c) => c.rawBytes));
    for (const c of certs) assert.ok(root.caCertificates.has(c));
  });
});
