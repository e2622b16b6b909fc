import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedAttestation } from '@provenant/core';
import type { FindingCode } from './finding.ts';
import type { Policy } from './policy.ts';
import {
  ARTIFACT_DIGEST,
  BUILDER_ID,
  COMMIT,
  NOW,
  OTHER_DIGEST,
  githubStatement,
  provenantStatement,
  signedBundle,
  signedEnvelope,
  testKey,
  v02Statement,
  withBundleJson,
} from './testing/fixtures.ts';
import { createTrust } from './trust.ts';
import { verifyAttestation } from './verify-attestation.ts';

const trust = createTrust({ publicKeys: [testKey().publicKeyPem] });
const codes = (r: { findings: { code: FindingCode }[] }) => r.findings.map((f) => f.code);

/** A policy every fixture from provenantStatement() passes. */
const PASSING: Policy = {
  predicateTypes: ['https://slsa.dev/provenance/v1'],
  builder: { ids: [BUILDER_ID] },
  source: { uris: ['https://github.com/acme/app'], refs: ['refs/heads/main'] },
  buildTypes: ['https://provenant.dev/buildtypes/ci/v1'],
  maxAge: '1d',
};

describe('verifyAttestation', () => {
  it('passes a bundle signed by a trusted key that meets the policy, naming the signer', async () => {
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(result.findings, []);
    assert.equal(result.ok, true);
    assert.deepEqual(result.signer, { kind: 'key', keyId: testKey().keyId });
    assert.deepEqual(result.subjects, [{ name: 'app.tgz', digest: ARTIFACT_DIGEST }]);
    assert.equal(result.view?.source?.commit, COMMIT);
  });

  it('passes with an empty policy when a key constrains trust', async () => {
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, trust, {}, NOW);
    assert.deepEqual(codes(result), []);
    assert.equal(result.ok, true);
  });

  it('passes with each supported key type', async () => {
    for (const type of ['ecdsa-p256', 'ecdsa-p384', 'ed25519'] as const) {
      const pair = testKey(type);
      const result = verifyAttestation(await signedBundle(provenantStatement(), pair), ARTIFACT_DIGEST, createTrust({ publicKeys: [pair.publicKeyPem] }), PASSING, NOW);
      assert.deepEqual(codes(result), [], type);
      assert.equal(result.signer?.keyId, pair.keyId);
    }
  });

  it('fails closed without trusted keys, even when everything else would pass', async () => {
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, createTrust({}), PASSING, NOW);
    assert.equal(result.ok, false);
    assert.deepEqual(codes(result), ['NO_TRUST_CONSTRAINT']);
    assert.equal(result.signer, undefined);
    assert.equal(result.view, undefined);
    assert.equal((result.statement as { predicateType: string }).predicateType, 'https://slsa.dev/provenance/v1');
  });

  it('fails with SUBJECT_DIGEST_MISMATCH for another artifact', async () => {
    const result = verifyAttestation(await signedBundle(provenantStatement()), OTHER_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(codes(result), ['SUBJECT_DIGEST_MISMATCH']);
    assert.equal(result.findings[0]?.path, 'subject');
    assert.deepEqual(result.subjects, []);
    assert.ok(result.signer, 'the signature itself verified');
  });

  const subjectCases: { name: string; subject: unknown[]; artifact: Record<string, string>; match: boolean }[] = [
    { name: 'a subject with only sha1 never matches', subject: [{ digest: { sha1: 'a'.repeat(40) } }], artifact: { sha1: 'a'.repeat(40) }, match: false },
    { name: 'a subject with only md5 never matches', subject: [{ digest: { md5: 'b'.repeat(32) } }], artifact: { ...ARTIFACT_DIGEST, md5: 'b'.repeat(32) }, match: false },
    { name: 'uppercase hex in the subject matches', subject: [{ digest: { sha256: ARTIFACT_DIGEST.sha256.toUpperCase() } }], artifact: ARTIFACT_DIGEST, match: true },
    { name: 'the second of several subjects matches', subject: [{ digest: OTHER_DIGEST }, { digest: ARTIFACT_DIGEST }], artifact: ARTIFACT_DIGEST, match: true },
    { name: 'sha512 subject matches a sha512 artifact digest', subject: [{ digest: { sha512: 'c'.repeat(128) } }], artifact: { sha512: 'C'.repeat(128) }, match: true },
    { name: 'agreeing sha256 with conflicting sha512 does not match', subject: [{ digest: { ...ARTIFACT_DIGEST, sha512: 'c'.repeat(128) } }], artifact: { ...ARTIFACT_DIGEST, sha512: 'd'.repeat(128) }, match: false },
    { name: 'an artifact with no accepted algorithm matches nothing', subject: [{ digest: ARTIFACT_DIGEST }], artifact: {}, match: false },
  ];
  for (const c of subjectCases) {
    it(c.name, async () => {
      const att = await signedBundle(provenantStatement((s) => (s.subject = c.subject)));
      const result = verifyAttestation(att, c.artifact, trust, {}, NOW);
      assert.deepEqual(codes(result), c.match ? [] : ['SUBJECT_DIGEST_MISMATCH']);
    });
  }

  it('fails with KEY_UNTRUSTED when the bundle names a key that is not trusted', async () => {
    const stranger = testKey('ecdsa-p256', true);
    const result = verifyAttestation(await signedBundle(provenantStatement(), stranger), ARTIFACT_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(codes(result), ['KEY_UNTRUSTED']);
    assert.equal(result.findings[0]?.path, 'verificationMaterial.publicKey.hint');
    assert.deepEqual(result.findings[0]?.actual, [stranger.keyId]);
    assert.equal(result.view, undefined, 'untrusted content is not turned into a view');
    assert.ok(result.statement, 'but stays available for inspection');
  });

  it('accepts a signature from a trusted key whatever the hint says', async () => {
    const att = withBundleJson(await signedBundle(provenantStatement()), (j) => {
      (j as { verificationMaterial: { publicKey: { hint: string } } }).verificationMaterial.publicKey.hint = 'some-other-name';
    });
    assert.deepEqual(codes(verifyAttestation(att, ARTIFACT_DIGEST, trust, PASSING, NOW)), []);
  });

  it('finds the signing key among several trusted keys', async () => {
    const other = testKey('ed25519');
    const many = createTrust({ publicKeys: [other.publicKeyPem, testKey('ecdsa-p384').publicKeyPem, testKey().publicKeyPem] });
    const result = verifyAttestation(await signedBundle(provenantStatement()), ARTIFACT_DIGEST, many, PASSING, NOW);
    assert.equal(result.signer?.keyId, testKey().keyId);
  });

  it('refuses a keyless (certificate) bundle with KEY_UNTRUSTED when only keys are trusted', async () => {
    const att = withBundleJson(await signedBundle(provenantStatement()), (j) => {
      (j as { verificationMaterial: unknown }).verificationMaterial = { certificate: { rawBytes: Buffer.from('not parsed').toString('base64') }, tlogEntries: [] };
    });
    const result = verifyAttestation(att, ARTIFACT_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(codes(result), ['KEY_UNTRUSTED']);
    assert.match(result.findings[0]!.message, /keyless/);
  });

  it('refuses a message-signature bundle with PAYLOAD_TYPE_UNSUPPORTED', async () => {
    const att = withBundleJson(await signedBundle(provenantStatement()), (j) => {
      delete j.dsseEnvelope;
      j.messageSignature = { messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(ARTIFACT_DIGEST.sha256, 'hex').toString('base64') }, signature: 'AAAA' };
    });
    assert.deepEqual(codes(verifyAttestation(att, ARTIFACT_DIGEST, trust, PASSING, NOW)), ['PAYLOAD_TYPE_UNSUPPORTED']);
  });

  it('refuses a bundle whose DSSE envelope has no signature with BUNDLE_MALFORMED', async () => {
    const att = await signedBundle(provenantStatement());
    assert.equal(att.kind, 'bundle');
    const bundle = (att as Extract<LoadedAttestation, { kind: 'bundle' }>).bundle;
    assert.equal(bundle.content.$case, 'dsseEnvelope');
    const envelope = { ...(bundle.content as Extract<typeof bundle.content, { $case: 'dsseEnvelope' }>).dsseEnvelope, signatures: [] };
    const stripped: LoadedAttestation = { ...att, kind: 'bundle', bundle: { ...bundle, content: { $case: 'dsseEnvelope', dsseEnvelope: envelope } } };
    assert.deepEqual(codes(verifyAttestation(stripped, ARTIFACT_DIGEST, trust, PASSING, NOW)), ['BUNDLE_MALFORMED']);
  });

  it('refuses a signed payload of another type with PAYLOAD_TYPE_UNSUPPORTED', async () => {
    const att = await signedBundle(provenantStatement(), testKey(), 'application/vnd.example+json');
    const result = verifyAttestation(att, ARTIFACT_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(codes(result), ['PAYLOAD_TYPE_UNSUPPORTED']);
    assert.equal(result.findings[0]?.path, 'dsseEnvelope.payloadType');
  });

  const invalidStatements: { name: string; payload: Uint8Array | Record<string, unknown>; path?: string }[] = [
    { name: 'payload-not-json', payload: Buffer.from('not json') },
    { name: 'payload-not-utf8', payload: Buffer.from([0x7b, 0xff, 0x7d]) },
    { name: 'statement-wrong-type', payload: { _type: 'https://example.com/Statement', subject: [], predicateType: 'x' }, path: '_type' },
    { name: 'statement-no-subject', payload: provenantStatement((s) => (s.subject = [])), path: 'subject' },
    { name: 'statement-subject-without-digest', payload: provenantStatement((s) => (s.subject = [{ name: 'x' }])), path: 'subject[0]' },
    { name: 'predicate-without-builder', payload: provenantStatement((s) => delete (s.predicate.runDetails as Record<string, unknown>).builder), path: 'predicate.runDetails.builder' },
    {
      name: 'predicate-bad-timestamp',
      payload: provenantStatement((s) => ((s.predicate.runDetails as { metadata: Record<string, unknown> }).metadata.finishedOn = 'yesterday')),
      path: 'predicate.runDetails.metadata.finishedOn',
    },
  ];
  for (const c of invalidStatements) {
    it(`fails with STATEMENT_INVALID: ${c.name}`, async () => {
      const result = verifyAttestation(await signedBundle(c.payload), ARTIFACT_DIGEST, trust, {}, NOW);
      assert.ok(codes(result).includes('STATEMENT_INVALID'), JSON.stringify(result.findings));
      assert.equal(result.ok, false);
      if (c.path) assert.equal(result.findings.find((f) => f.code === 'STATEMENT_INVALID')?.path, c.path);
    });
  }

  it('an invalid predicate still gets its subject and predicate type checked', async () => {
    const att = await signedBundle(provenantStatement((s) => delete (s.predicate.runDetails as Record<string, unknown>).builder));
    const result = verifyAttestation(att, OTHER_DIGEST, trust, { ...PASSING, predicateTypes: ['https://slsa.dev/provenance/v0.2'] }, NOW);
    assert.deepEqual(codes(result).sort(), ['PREDICATE_TYPE_MISMATCH', 'STATEMENT_INVALID', 'SUBJECT_DIGEST_MISMATCH']);
  });

  it('collects every finding before deciding', async () => {
    const policy: Policy = { builder: { ids: ['https://x'] }, source: { uris: ['https://github.com/x/y'], refs: ['refs/tags/*'] }, buildTypes: ['https://x'], maxAge: '1m' };
    const result = verifyAttestation(await signedBundle(provenantStatement()), OTHER_DIGEST, trust, policy, NOW);
    assert.deepEqual(codes(result), ['SUBJECT_DIGEST_MISMATCH', 'BUILDER_ID_MISMATCH', 'SOURCE_MISMATCH', 'REF_MISMATCH', 'BUILD_TYPE_MISMATCH', 'ATTESTATION_TOO_OLD']);
  });
});

describe('policy checks', () => {
  const withMetadata = (metadata: Record<string, string> | undefined) =>
    provenantStatement((s) => {
      const runDetails = s.predicate.runDetails as Record<string, unknown>;
      if (metadata) runDetails.metadata = metadata;
      else delete runDetails.metadata;
    });

  const cases: { name: string; policy: Policy; statement?: Record<string, unknown>; now?: Date; code?: FindingCode; path?: string }[] = [
    { name: 'builder id exact: matching', policy: { builder: { ids: [BUILDER_ID] } } },
    { name: 'builder id exact: other', policy: { builder: { ids: [`${BUILDER_ID}.1`] } }, code: 'BUILDER_ID_MISMATCH', path: 'predicate.runDetails.builder.id' },
    { name: 'builder id prefix at "/"', policy: { builder: { idPrefixes: ['https://provenant.dev/builders'] } } },
    { name: 'builder id prefix at "@"', policy: { builder: { idPrefixes: ['https://provenant.dev/builders/github-actions'] } } },
    { name: 'builder id prefix mid-segment', policy: { builder: { idPrefixes: ['https://provenant.dev/builders/github'] } }, code: 'BUILDER_ID_MISMATCH' },
    { name: 'builder id: either list admits', policy: { builder: { ids: ['https://x'], idPrefixes: ['https://provenant.dev/'] } } },
    { name: 'builder id: empty list admits nothing', policy: { builder: { ids: [] } }, code: 'BUILDER_ID_MISMATCH' },
    { name: 'source uri normalised', policy: { source: { uris: ['git+https://GitHub.com/acme/app.git/'] } } },
    { name: 'source uri: path case matters', policy: { source: { uris: ['https://github.com/Acme/App'] } }, code: 'SOURCE_MISMATCH', path: 'predicate.buildDefinition.externalParameters.source.repository' },
    { name: 'source uri: other repository', policy: { source: { uris: ['https://github.com/acme/app2'] } }, code: 'SOURCE_MISMATCH' },
    { name: 'ref exact', policy: { source: { refs: ['refs/heads/main'] } } },
    { name: 'ref exact: other', policy: { source: { refs: ['refs/heads/dev'] } }, code: 'REF_MISMATCH', path: 'predicate.buildDefinition.externalParameters.source.ref' },
    { name: 'ref glob', policy: { source: { refs: ['refs/tags/v*', 'refs/heads/*'] } } },
    { name: 'ref glob: * stays in its segment', policy: { source: { refs: ['refs/*'] } }, code: 'REF_MISMATCH' },
    { name: 'ref glob: ** crosses segments', policy: { source: { refs: ['refs/**'] } } },
    { name: 'ref: a short branch name is not a ref', policy: { source: { refs: ['main'] } }, code: 'REF_MISMATCH' },
    { name: 'ref: negation is not supported', policy: { source: { refs: ['!refs/heads/dev'] } }, code: 'REF_MISMATCH' },
    { name: 'buildType exact', policy: { buildTypes: ['https://provenant.dev/buildtypes/ci/v1'] } },
    { name: 'buildType other', policy: { buildTypes: ['https://provenant.dev/buildtypes/ci/v2'] }, code: 'BUILD_TYPE_MISMATCH', path: 'predicate.buildDefinition.buildType' },
    { name: 'predicateType listed', policy: { predicateTypes: ['https://slsa.dev/provenance/v1'] } },
    { name: 'predicateType not listed', policy: { predicateTypes: ['https://slsa.dev/provenance/v0.2'] }, code: 'PREDICATE_TYPE_MISMATCH', path: 'predicateType' },
    {
      name: 'predicateType outside the default list',
      policy: {},
      statement: provenantStatement((s) => (s.predicateType = 'https://example.com/test-result/v1')),
      code: 'PREDICATE_TYPE_MISMATCH',
    },
    { name: 'maxAge: young enough', policy: { maxAge: '2h' } },
    { name: 'maxAge: too old', policy: { maxAge: '30m' }, code: 'ATTESTATION_TOO_OLD', path: 'predicate.runDetails.metadata.finishedOn' },
    { name: 'maxAge in seconds', policy: { maxAge: 3599 }, code: 'ATTESTATION_TOO_OLD' },
    { name: 'maxAge: exactly at the limit', policy: { maxAge: 3600 } },
    { name: 'maxAge: start time when no finish time', policy: { maxAge: '61m' }, statement: withMetadata({ startedOn: '2025-06-01T12:00:00Z' }) },
    { name: 'maxAge: no time recorded', policy: { maxAge: '30d' }, statement: withMetadata(undefined), code: 'ATTESTATION_TOO_OLD', path: 'predicate' },
    { name: 'maxAge: build in the future', policy: { maxAge: '30d' }, now: new Date('2025-06-01T11:00:00Z'), code: 'ATTESTATION_TOO_OLD' },
    { name: 'maxAge: within clock skew', policy: { maxAge: '30d' }, now: new Date('2025-06-01T11:57:00Z') },
    { name: 'no maxAge: no time needed', policy: {}, statement: withMetadata(undefined) },
    { name: 'policy: unreadable maxAge', policy: { maxAge: '7 days' }, code: 'POLICY_INVALID', path: 'policy.maxAge' },
    { name: 'policy: list that is not a list', policy: { buildTypes: 'https://provenant.dev/buildtypes/ci/v1' as unknown as string[] }, code: 'POLICY_INVALID', path: 'policy.buildTypes' },
  ];
  for (const c of cases) {
    it(`${c.name} -> ${c.code ?? 'pass'}`, async () => {
      const result = verifyAttestation(await signedBundle(c.statement ?? provenantStatement()), ARTIFACT_DIGEST, trust, c.policy, c.now ?? NOW);
      assert.deepEqual(codes(result), c.code ? [c.code] : []);
      assert.equal(result.ok, c.code === undefined);
      if (c.path) assert.equal(result.findings[0]?.path, c.path);
    });
  }

  it('a policy field the provenance cannot answer fails (source of an unknown build type)', async () => {
    const statement = provenantStatement((s) => {
      const def = s.predicate.buildDefinition as Record<string, unknown>;
      def.buildType = 'https://example.com/other/v1';
      def.resolvedDependencies = [{ uri: 'pkg:npm/left-pad@1.0.0', digest: { sha512: 'a'.repeat(128) } }];
    });
    const result = verifyAttestation(await signedBundle(statement), ARTIFACT_DIGEST, trust, { source: { uris: ['https://github.com/acme/app'], refs: ['refs/**'] } }, NOW);
    assert.deepEqual(codes(result), ['SOURCE_MISMATCH', 'REF_MISMATCH']);
    assert.equal(result.findings[0]?.actual, undefined);
  });
});

describe('other shapes through the same view', () => {
  it('reads a v0.1 statement with a SLSA v0.2 predicate', async () => {
    const policy: Policy = {
      predicateTypes: ['https://slsa.dev/provenance/v0.2'],
      builder: { idPrefixes: ['https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml'] },
      source: { uris: ['https://github.com/acme/app'], refs: ['refs/heads/main'] },
      buildTypes: ['https://github.com/slsa-framework/slsa-github-generator/generic@v1'],
      maxAge: '2h',
    };
    const result = verifyAttestation(await signedBundle(v02Statement()), ARTIFACT_DIGEST, trust, policy, NOW);
    assert.deepEqual(result.findings, []);
    assert.equal(result.view?.statementType, 'https://in-toto.io/Statement/v0.1');
    assert.deepEqual(result.view?.source, { uri: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: COMMIT });
    const old = verifyAttestation(await signedBundle(v02Statement()), ARTIFACT_DIGEST, trust, { ...policy, maxAge: '10m', source: { refs: ['refs/tags/*'] } }, NOW);
    assert.deepEqual(
      old.findings.map((f) => [f.code, f.path]),
      [
        ['REF_MISMATCH', 'predicate.invocation.configSource.uri'],
        ['ATTESTATION_TOO_OLD', 'predicate.metadata.buildFinishedOn'],
      ],
    );
  });

  it('reads the source of a GitHub workflow/v1 build', async () => {
    const policy: Policy = {
      builder: { idPrefixes: ['https://github.com/Owner/Repo/.github/workflows/release.yml'] },
      source: { uris: ['https://github.com/Owner/Repo'], refs: ['refs/tags/v*'] },
      buildTypes: ['https://actions.github.io/buildtypes/workflow/v1'],
    };
    const result = verifyAttestation(await signedBundle(githubStatement()), ARTIFACT_DIGEST, trust, policy, NOW);
    assert.deepEqual(result.findings, []);
    assert.equal(result.view?.source?.commit, COMMIT);
  });

  it('verifies a bare DSSE envelope (.intoto.jsonl line)', () => {
    const result = verifyAttestation(signedEnvelope(provenantStatement()), ARTIFACT_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(result.findings, []);
    assert.equal(result.signer?.keyId, testKey().keyId);
  });

  it('a bare envelope signed by another key names it: KEY_UNTRUSTED', () => {
    const result = verifyAttestation(signedEnvelope(provenantStatement(), testKey('ed25519', true)), ARTIFACT_DIGEST, trust, PASSING, NOW);
    assert.deepEqual(codes(result), ['KEY_UNTRUSTED']);
    assert.equal(result.findings[0]?.path, 'signatures');
  });
});
