import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KeySigner, generateKeyPair, isProvenantError, loadPrivateKey, serializeBundle, signStatementToBundle, signToEnvelope } from '@provenant/core';
import { main } from '../main.ts';
import type { Io } from '../output.ts';
import { run } from './diff.ts';

const SHA = (c: string) => c.repeat(128);

function statement(deps: { uri: string; digest?: Record<string, string> }[], node = '22.11.0'): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tgz', digest: { sha256: '0'.repeat(64) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://provenant.dev/buildtypes/ci/v1',
        externalParameters: { source: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: 'a'.repeat(40) } },
        internalParameters: { environment: { os: 'linux', arch: 'x64', kernel: '6.5', node, toolchains: {}, variables: {}, redactedVariables: [] } },
        resolvedDependencies: [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: 'a'.repeat(40) } }, ...deps],
      },
      runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' }, metadata: { finishedOn: '2026-01-01T00:00:00Z' } },
    },
  };
}

const OLD = statement([
  { uri: 'pkg:npm/express@4.19.2', digest: { sha512: SHA('1') } },
  { uri: 'pkg:npm/lodash@4.17.20', digest: { sha512: SHA('2') } },
  { uri: 'pkg:npm/left-pad@1.3.0', digest: { sha512: SHA('3') } },
]);
const NEW = statement(
  [
    { uri: 'pkg:npm/express@4.19.2', digest: { sha512: SHA('9') } },
    { uri: 'pkg:npm/lodash@4.17.21', digest: { sha512: SHA('4') } },
    { uri: 'pkg:npm/ms@2.1.3', digest: { sha512: SHA('5') } },
  ],
  '24.1.0',
);

function io(): Io & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    stderrIsTTY: false,
    stdout: (s: string) => {
      sink.out += s;
    },
    stderr: (s: string) => {
      sink.err += s;
    },
  };
  return sink;
}

/** Whether main.ts registers the command (the lead adds it); the in-process `run` tests do not need it. */
const DIFF_WIRED = await hasDiffCommand();

describe('provenant diff', () => {
  let dir = '';
  const file = (name: string) => join(dir, name);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-diff-'));
    const key = loadPrivateKey(generateKeyPair('ecdsa-p256').privateKeyPem);
    const payload = (s: unknown) => Buffer.from(JSON.stringify(s));
    await writeFile(file('old.sigstore.json'), serializeBundle(await signStatementToBundle(payload(OLD), new KeySigner(key))));
    await writeFile(file('new.statement.json'), JSON.stringify(NEW, null, 2));
    // JSON Lines: an SBOM attestation first, the provenance second.
    const sbom = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'app.tgz', digest: { sha256: '0'.repeat(64) } }], predicateType: 'https://cyclonedx.org/bom', predicate: { bomFormat: 'CycloneDX' } };
    await writeFile(file('new.intoto.jsonl'), `${JSON.stringify(signToEnvelope(payload(sbom), key))}\n${JSON.stringify(signToEnvelope(payload(NEW), key))}\n`);
    await writeFile(file('sbom-only.intoto.jsonl'), `${JSON.stringify(signToEnvelope(payload(sbom), key))}\n`);
    await writeFile(file('garbage.json'), 'not json at all');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('text: the changed digest first with !!, then dependencies and environment; says nothing was verified', async () => {
    const sink = io();
    assert.equal(await run(file('old.sigstore.json'), file('new.statement.json'), {}, undefined, sink), 0);
    const lines = sink.out.split('\n');
    assert.match(lines[0]!, /^NOT VERIFIED/);
    assert.equal(lines[1], `old  ${file('old.sigstore.json')} (Sigstore bundle)`);
    assert.equal(lines[2], `new  ${file('new.statement.json')} (statement, unsigned)`);
    assert.equal(lines[4], `!! pkg:npm/express@4.19.2: same version, different digest (sha512 ${'1'.repeat(16)}… -> ${'9'.repeat(16)}…)`);
    const body = lines.slice(5).join('\n');
    assert.match(body, /^dependencies {2}1 added, 1 removed, 1 version change\(s\), 1 digest change\(s\)$/m);
    assert.match(body, /^ {2}\+ pkg:npm\/ms@2\.1\.3$/m);
    assert.match(body, /^ {2}- pkg:npm\/left-pad@1\.3\.0$/m);
    assert.match(body, /^ {2}~ pkg:npm\/lodash 4\.17\.20 -> 4\.17\.21$/m);
    assert.match(body, /^environment {3}node 22\.11\.0 -> 24\.1\.0$/m);
    assert.doesNotMatch(body, /git\+https/, 'the source is not a dependency');
    assert.equal(sink.err, '');
  });

  test('--json: the diff object for tools, marked unverified', async () => {
    const sink = io();
    assert.equal(await run(file('old.sigstore.json'), file('new.intoto.jsonl'), { json: true }, undefined, sink), 0);
    const out = JSON.parse(sink.out);
    assert.equal(out.verified, false);
    assert.deepEqual(out.new, { path: file('new.intoto.jsonl'), form: 'DSSE envelope 2 of 2' });
    assert.equal(out.changed, true);
    assert.deepEqual(out.dependencies.digestChanged.map((c: { uri: string }) => c.uri), ['pkg:npm/express@4.19.2']);
    assert.deepEqual(out.environment, [{ key: 'node', old: '22.11.0', new: '24.1.0' }]);
  });

  test('the same provenance twice: no differences, exit 0', async () => {
    const sink = io();
    assert.equal(await run(file('old.sigstore.json'), file('old.sigstore.json'), {}, undefined, sink), 0);
    assert.match(sink.out, /\nno differences\n$/);
  });

  const bad: [string, string, RegExp][] = [
    ['garbage.json', 'BUNDLE_MALFORMED', /not JSON/],
    ['sbom-only.intoto.jsonl', 'STATEMENT_INVALID', /no SLSA provenance in the attestation/],
    ['missing.json', 'FILE_UNREADABLE', /ENOENT/],
  ];
  for (const [name, code, message] of bad) {
    test(`${name}: ${code}`, async () => {
      await assert.rejects(run(file('old.sigstore.json'), file(name), {}, undefined, io()), (err) => isProvenantError(err) && err.code === code && message.test(err.message));
    });
  }

  test('through main: `provenant diff OLD NEW` is wired and exits 0', { skip: !DIFF_WIRED && 'main.ts does not register diff yet (lead wiring)' }, async () => {
    const sink = io();
    assert.equal(await main(['diff', file('old.sigstore.json'), file('new.statement.json')], sink), 0);
    assert.match(sink.out, /^NOT VERIFIED/);
  });
});

async function hasDiffCommand(): Promise<boolean> {
  const sink = io();
  await main(['diff', '--help'], sink);
  return /OLD|old/.test(sink.out) && !/unknown command/.test(sink.err);
}
