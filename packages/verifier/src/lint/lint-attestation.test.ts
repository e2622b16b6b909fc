import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { COMMIT, githubStatement, provenantStatement, signedBundle, signedEnvelope, v02Statement } from '../testing/fixtures.ts';
import { duplicateKeyPaths } from './json-duplicates.ts';
import { lintAttestation, lintText } from './lint-attestation.ts';
import { LINT_CODES, type LintCode, type LintIssue } from './lint-issue.ts';
import { readPredicateType } from './predicate-type.ts';
import { lintTimestamp } from './timestamp-rule.ts';

type Json = Record<string, unknown>;
type Statement = Json & { predicate: Json };
const SHA256 = 'a'.repeat(64);

/** A good SLSA v1 statement, changed by `edit`. */
function statement(edit: (s: Statement & { subject: Json[] }) => void): Json {
  const s = provenantStatement() as Statement & { subject: Json[] };
  edit(s);
  return s;
}
const definition = (s: Statement) => s.predicate.buildDefinition as Json;
const run = (s: Statement) => s.predicate.runDetails as Json & { builder: Json; metadata: Json };

function envelopeText(payload: string | Buffer, payloadType = 'application/vnd.in-toto+json', extra: Json = {}, signatureExtra: Json = {}): string {
  return JSON.stringify({ payloadType, payload: Buffer.from(payload).toString('base64'), signatures: [{ keyid: '', sig: 'c2ln', ...signatureExtra }], ...extra });
}

interface Case {
  code: LintCode;
  name: string;
  /** What lintText is given. */
  text: string | Buffer;
  path: string;
}

const GOOD = JSON.stringify(provenantStatement());
const json = (value: Json) => JSON.stringify(value);

// One small hand-made input per code, named after what it shows.
const CASES: Case[] = [
  { code: 'JSON_NOT_UTF8', name: 'a statement file in Latin-1', text: Buffer.concat([Buffer.from(GOOD.slice(0, -1)), Buffer.from(',"x":"caf\xe9"}', 'latin1')]), path: '' },
  { code: 'JSON_NOT_UTF8', name: 'a payload that is not UTF-8', text: envelopeText(Buffer.from([0x7b, 0xff, 0x7d])), path: 'payload' },
  { code: 'JSON_DUPLICATE_KEY', name: 'predicateType twice', text: GOOD.replace('"predicateType"', '"predicateType":"https://example.com/other/v1","predicateType"'), path: 'predicateType' },
  { code: 'JSON_DUPLICATE_KEY', name: 'a digest algorithm twice inside the payload', text: envelopeText(GOOD.replace('"digest":{', `"digest":{"sha256":"${SHA256}",`)), path: 'subject[0].digest.sha256' },
  { code: 'PAYLOAD_NOT_JSON', name: 'an in-toto payload that is not JSON', text: envelopeText('not json'), path: 'payload' },
  { code: 'PAYLOAD_TYPE_NONSTANDARD', name: 'payloadType application/json', text: envelopeText(GOOD, 'application/json'), path: 'payloadType' },
  { code: 'DSSE_FIELD_NONSTANDARD', name: 'a cert beside the signature', text: envelopeText(GOOD, undefined, {}, { cert: 'PEM' }), path: 'signatures[0].cert' },
  { code: 'DSSE_FIELD_NONSTANDARD', name: 'an extra envelope field', text: envelopeText(GOOD, undefined, { signedAt: 'now' }), path: 'signedAt' },
  { code: 'STATEMENT_TYPE_UNKNOWN', name: '_type Statement/v1.0', text: json(statement((s) => (s._type = 'https://in-toto.io/Statement/v1.0'))), path: '_type' },
  { code: 'STATEMENT_TYPE_OUTDATED', name: 'a v0.1 statement wrapping a v1 predicate', text: json(statement((s) => (s._type = 'https://in-toto.io/Statement/v0.1'))), path: '_type' },
  { code: 'STATEMENT_FIELD_MISSING', name: 'no predicateType', text: json(statement((s) => delete s.predicateType)), path: 'predicateType' },
  { code: 'STATEMENT_FIELD_INVALID', name: 'subject as a string', text: json(statement((s) => ((s as Json).subject = 'app.tgz'))), path: 'subject' },
  { code: 'STATEMENT_FIELD_UNKNOWN', name: 'a top-level comment', text: json(statement((s) => (s.comment = 'hi'))), path: 'comment' },
  { code: 'SUBJECT_EMPTY', name: 'an empty subject list', text: json(statement((s) => (s.subject = []))), path: 'subject' },
  { code: 'SUBJECT_DIGEST_MISSING', name: 'a subject without digest', text: json(statement((s) => (s.subject = [{ name: 'app.tgz' }]))), path: 'subject[0].digest' },
  { code: 'SUBJECT_NAME_MISSING', name: 'a subject with neither name nor uri', text: json(statement((s) => (s.subject = [{ digest: { sha256: SHA256 } }]))), path: 'subject[0]' },
  {
    code: 'SUBJECT_NAME_DUPLICATE',
    name: 'two subjects of one name',
    text: json(statement((s) => (s.subject = [{ name: 'a', digest: { sha256: SHA256 } }, { name: 'a', digest: { sha256: 'b'.repeat(64) } }]))),
    path: 'subject[1].name',
  },
  { code: 'RESOURCE_DESCRIPTOR_EMPTY', name: 'a dependency with only a name', text: json(statement((s) => (definition(s).resolvedDependencies = [{ name: 'lib' }]))), path: 'predicate.buildDefinition.resolvedDependencies[0]' },
  { code: 'PREDICATE_TYPE_NONCANONICAL', name: 'predicateType provenance/v1.0', text: json(statement((s) => (s.predicateType = 'https://slsa.dev/provenance/v1.0'))), path: 'predicateType' },
  { code: 'DIGEST_VALUE_INVALID', name: 'a number as digest', text: json(statement((s) => (s.subject = [{ name: 'a', digest: { sha256: 5 } }]))), path: 'subject[0].digest.sha256' },
  { code: 'DIGEST_NOT_LOWERCASE_HEX', name: 'uppercase sha256', text: json(statement((s) => (s.subject = [{ name: 'a', digest: { sha256: SHA256.toUpperCase() } }]))), path: 'subject[0].digest.sha256' },
  { code: 'DIGEST_NOT_LOWERCASE_HEX', name: 'base64 under sha256', text: json(statement((s) => (s.subject = [{ name: 'a', digest: { sha256: 'q83vEjRWeJA=' } }]))), path: 'subject[0].digest.sha256' },
  { code: 'DIGEST_LENGTH_INVALID', name: 'a sha256 of 63 digits', text: json(statement((s) => (s.subject = [{ name: 'a', digest: { sha256: 'a'.repeat(63) } }]))), path: 'subject[0].digest.sha256' },
  {
    code: 'DIGEST_ALGORITHM_MISLABELED',
    name: 'a 40-hex git commit filed under sha256',
    text: json(statement((s) => (definition(s).resolvedDependencies = [{ uri: 'git+https://github.com/acme/app', digest: { sha256: COMMIT } }]))),
    path: 'predicate.buildDefinition.resolvedDependencies[0].digest.sha256',
  },
  { code: 'DIGEST_ALGORITHM_MISLABELED', name: 'a 64-hex digest filed under sha1', text: json(statement((s) => (s.subject = [{ name: 'a', digest: { sha1: SHA256 } }]))), path: 'subject[0].digest.sha1' },
  { code: 'DIGEST_ALGORITHM_UNKNOWN', name: 'sha-256 for sha256', text: json(statement((s) => (s.subject = [{ name: 'a', digest: { 'SHA-256': SHA256 } }]))), path: 'subject[0].digest.SHA-256' },
  { code: 'TIMESTAMP_INVALID', name: 'finishedOn without seconds', text: json(statement((s) => (run(s).metadata.finishedOn = '2025-06-01T12:00Z'))), path: 'predicate.runDetails.metadata.finishedOn' },
  { code: 'TIMESTAMP_NOT_UTC', name: 'startedOn at +02:00', text: json(statement((s) => (run(s).metadata.startedOn = '2025-06-01T13:58:00+02:00'))), path: 'predicate.runDetails.metadata.startedOn' },
  { code: 'SLSA_FIELD_MISSING', name: 'no buildType', text: json(statement((s) => delete definition(s).buildType)), path: 'predicate.buildDefinition.buildType' },
  { code: 'SLSA_FIELD_MISSING', name: 'no builder.id', text: json(statement((s) => delete run(s).builder.id)), path: 'predicate.runDetails.builder.id' },
  { code: 'SLSA_FIELD_MISSING', name: 'no externalParameters', text: json(statement((s) => delete definition(s).externalParameters)), path: 'predicate.buildDefinition.externalParameters' },
  { code: 'SLSA_FIELD_INVALID', name: 'externalParameters as a string', text: json(statement((s) => (definition(s).externalParameters = 'ref=main'))), path: 'predicate.buildDefinition.externalParameters' },
  { code: 'SLSA_EXTERNAL_PARAMETERS_EMPTY', name: 'empty externalParameters', text: json(statement((s) => (definition(s).externalParameters = {}))), path: 'predicate.buildDefinition.externalParameters' },
];

const summary = (issues: LintIssue[]) => issues.map((i) => `${i.code} at ${i.path || '(document)'}`);

describe('lintText: one hand-made input per code', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.name}`, () => {
      const issues = lintText(c.text, 'case');
      assert.deepEqual(summary(issues), [`${c.code} at ${c.path || '(document)'}`]);
      assert.equal(issues[0]!.severity, LINT_CODES[c.code]);
      assert.ok(issues[0]!.message.length > 0);
    });
  }

  it('has a case for every code', () => {
    const covered = new Set(CASES.map((c) => c.code));
    assert.deepEqual(Object.keys(LINT_CODES).filter((code) => !covered.has(code as LintCode)), []);
  });
});

describe('lintAttestation', () => {
  it('finds nothing in provenant, GitHub and slsa-github-generator v0.2 statements', () => {
    for (const s of [provenantStatement(), githubStatement(), v02Statement()]) assert.deepEqual(lintAttestation(s), []);
  });

  it('lints the payload of a signed bundle and of a bare envelope, with statement paths', async () => {
    const bad = provenantStatement((s) => (s.predicateType = 'https://slsa.dev/provenance/v1.0'));
    assert.deepEqual(summary(lintAttestation(await signedBundle(bad))), ['PREDICATE_TYPE_NONCANONICAL at predicateType']);
    assert.deepEqual(summary(lintAttestation(signedEnvelope(bad))), ['PREDICATE_TYPE_NONCANONICAL at predicateType']);
    assert.deepEqual(lintAttestation(await signedBundle(provenantStatement())), []);
  });

  it('reports the payload type of a bundle under dsseEnvelope and does not read a foreign payload', async () => {
    const att = await signedBundle(Buffer.from('hello, world!'), undefined, 'text/plain');
    assert.deepEqual(summary(lintAttestation(att)), ['PAYLOAD_TYPE_NONSTANDARD at dsseEnvelope.payloadType']);
  });

  it('prefixes each line of JSON Lines with attestations[i]', () => {
    const bad = JSON.stringify(provenantStatement((s) => (s.subject = [])));
    const text = `${envelopeText(GOOD)}\n\n${envelopeText(bad)}\n`;
    assert.deepEqual(summary(lintText(text, 'x.jsonl')), ['SUBJECT_EMPTY at attestations[1].subject']);
  });

  it('refuses what is not an attestation at all (BUNDLE_MALFORMED)', () => {
    for (const text of ['[1, 2]', '{"hello": "world"}', 'not json at all', '   ']) {
      assert.throws(() => lintText(text, 'x'), (err) => isProvenantError(err) && err.code === 'BUNDLE_MALFORMED', text);
    }
  });

  it('suggests the registry spelling of a near-miss algorithm and accepts git SHA-256 commits', () => {
    const issues = lintAttestation(statement((s) => (s.subject = [{ name: 'a', digest: { 'SHA-256': SHA256, gitCommit: 'c'.repeat(64), blake2b: 'd'.repeat(128) } }])));
    assert.deepEqual(summary(issues), ['DIGEST_ALGORITHM_UNKNOWN at subject[0].digest.SHA-256']);
    assert.match(issues[0]!.message, /spells it sha256/);
  });

  it('checks SLSA v0.2 and VSA v1 predicates', () => {
    const v02 = v02Statement() as Statement;
    (v02.predicate.metadata as Json).buildFinishedOn = '2025-06-01 12:00:00Z';
    delete (v02.predicate as Json).buildType;
    assert.deepEqual(summary(lintAttestation(v02)), ['SLSA_FIELD_MISSING at predicate.buildType', 'TIMESTAMP_INVALID at predicate.metadata.buildFinishedOn']);
    const vsa = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tgz', digest: { sha256: SHA256 } }],
      predicateType: 'https://slsa.dev/verification_summary/v1',
      predicate: { verifier: { id: 'https://provenant.dev/verifier' }, timeVerified: '2025-06-01T12:00:00-05:00', resourceUri: 'https://example.com/app.tgz', policy: { uri: 'https://example.com/p' }, verificationResult: 'PASSED', verifiedLevels: ['SLSA_BUILD_LEVEL_2'] },
    };
    assert.deepEqual(summary(lintAttestation(vsa)), ['TIMESTAMP_NOT_UTC at predicate.timeVerified']);
  });
});

describe('rules', () => {
  it('timestamps: RFC 3339 in UTC', () => {
    for (const ok of ['2024-02-29T23:59:60Z', '2025-06-01T12:00:00.123456Z', '2025-06-01t12:00:00z']) assert.deepEqual(lintTimestamp(ok, 't'), [], ok);
    for (const bad of ['2025-02-29T00:00:00Z', '2025-06-01T24:00:00Z', '2025-06-01', '2025-06-01T12:00:00', 1_700_000_000, '2025-13-01T00:00:00Z']) {
      assert.deepEqual(lintTimestamp(bad, 't').map((i) => i.code), ['TIMESTAMP_INVALID'], String(bad));
    }
    for (const offset of ['+00:00', '-00:00', '+05:30']) assert.deepEqual(lintTimestamp(`2025-06-01T12:00:00${offset}`, 't').map((i) => i.code), ['TIMESTAMP_NOT_UTC'], offset);
  });

  it('predicate types: exact SLSA spellings only', () => {
    assert.deepEqual(readPredicateType('https://slsa.dev/provenance/v1'), { kind: 'canonical', type: 'https://slsa.dev/provenance/v1' });
    for (const [spelling, preRelease] of [
      ['https://slsa.dev/provenance/v1.0', false],
      ['http://slsa.dev/provenance/v1', false],
      ['https://SLSA.dev/provenance/v1/', false],
      ['https://slsa.dev/provenance/v1.1', false],
      ['https://slsa.dev/provenance/v1-rc1', true],
      ['https://slsa.dev/provenance/v1?draft', true],
    ] as const) {
      assert.deepEqual(readPredicateType(spelling), { kind: 'noncanonical', type: 'https://slsa.dev/provenance/v1', preRelease }, spelling);
    }
    assert.equal(readPredicateType('https://slsa.dev/provenance/v0.2.0').kind, 'noncanonical');
    for (const other of ['https://slsa.dev/provenance/v2', 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', 'https://spdx.dev/Document']) {
      assert.deepEqual(readPredicateType(other), { kind: 'other' }, other);
    }
  });

  it('duplicate keys: found at any depth, escaped keys compared decoded, strings never mistaken for keys', () => {
    const text = '{"a":[{"b":1,"b":2},{"b":"{\\"c\\":1,\\"c\\":2}"}],"k\\u0065y":1,"key":2,"n":{"x":{}},"n":0}';
    JSON.parse(text);
    assert.deepEqual(duplicateKeyPaths(text), ['a[0].b', 'key', 'n']);
    assert.deepEqual(duplicateKeyPaths(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), []);
  });
});
