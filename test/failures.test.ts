// Every way verification must fail, through the CLI: each policy field gives its code (exit 1),
// every single-byte change to payload or signature gives SIGNATURE_INVALID, and bad input exits 2
// with one coded line and no stack trace.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorCode, runCli, runCliInProcess } from './support/cli.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function statement(predicate: Record<string, unknown>, predicateType = 'https://slsa.dev/provenance/v1') {
  return JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'app', digest: { sha256: 'ab'.repeat(32) } }], predicateType, predicate });
}

const V1 = {
  buildDefinition: {
    buildType: 'https://provenant.dev/buildtypes/ci/v1',
    externalParameters: { source: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: 'c'.repeat(40) } },
    resolvedDependencies: [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: 'c'.repeat(40) } }],
  },
  runDetails: {
    builder: { id: 'https://github.com/actions/runner/github-hosted' },
    metadata: { invocationId: 'x', startedOn: '2020-01-01T00:00:00Z', finishedOn: '2020-01-01T00:10:00Z' },
  },
};

let dir: string;
let bundle: string;
let pub: string;

after(() => rm(dir, { recursive: true, force: true }));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provenant-test-'));
  assert.equal((await runCliInProcess(['keygen', '--out', join(dir, 'k')])).status, 0);
  await writeFile(join(dir, 's.json'), statement(V1));
  bundle = join(dir, 's.sigstore.json');
  pub = join(dir, 'k.pub');
  const r = await runCliInProcess(['sign', join(dir, 's.json'), '--key', join(dir, 'k.key'), '--out', bundle]);
  assert.equal(r.status, 0, r.stderr);
});

describe('verification failures through the CLI', () => {
  const cases: [string, string[], string][] = [
    ['builder id (exact)', ['--builder-id', 'https://github.com/actions/runner/self-hosted'], 'BUILDER_ID_MISMATCH'],
    ['builder id (prefix)', ['--builder-id-prefix', 'https://gitlab.com/'], 'BUILDER_ID_MISMATCH'],
    ['source uri', ['--source-uri', 'https://github.com/acme/other'], 'SOURCE_MISMATCH'],
    ['source ref (exact)', ['--source-ref', 'refs/heads/release'], 'REF_MISMATCH'],
    ['source ref (glob)', ['--source-ref', 'refs/tags/v*'], 'REF_MISMATCH'],
    ['build type', ['--build-type', 'https://example.com/other'], 'BUILD_TYPE_MISMATCH'],
    ['max age', ['--max-age', '30d'], 'ATTESTATION_TOO_OLD'],
  ];
  for (const [name, flags, code] of cases) {
    it(`${name} -> ${code}, exit 1`, async () => {
      const r = await runCliInProcess(['verify', DIGEST, '--bundle', bundle, '--key', pub, ...flags]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, new RegExp(`^FAILED\\n  ${code}: `));
      assert.equal(r.stdout.trim().split('\n').length, 2, 'exactly one finding');
    });
  }

  it('the matching policy passes (so the cases above fail for their own reason)', async () => {
    const r = await runCliInProcess([
      'verify', DIGEST, '--bundle', bundle, '--key', pub,
      '--builder-id', 'https://github.com/actions/runner/github-hosted', '--source-uri', 'git+https://github.com/acme/app.git',
      '--source-ref', 'refs/heads/*', '--build-type', 'https://provenant.dev/buildtypes/ci/v1', '--max-age', '36500d',
    ]);
    assert.equal(r.status, 0, r.stdout);
  });

  it('a policy file: predicate type -> PREDICATE_TYPE_MISMATCH; all findings are collected', async () => {
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, 'apiVersion: provenant.dev/v1\nkind: Policy\npredicateTypes: [https://slsa.dev/provenance/v0.2]\nbuilder:\n  ids: [https://example.com/b]\n');
    const r = await runCliInProcess(['verify', DIGEST, '--bundle', bundle, '--key', pub, '--policy', policy]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /PREDICATE_TYPE_MISMATCH/);
    assert.match(r.stdout, /BUILDER_ID_MISMATCH/);
  });

  it('a bad policy file -> POLICY_INVALID with line and column, exit 2', async () => {
    const policy = join(dir, 'bad-policy.yaml');
    await writeFile(policy, 'apiVersion: provenant.dev/v1\nkind: Policy\nbuilderz:\n  ids: [x]\n');
    const r = await runCliInProcess(['verify', DIGEST, '--bundle', bundle, '--key', pub, '--policy', policy]);
    assert.equal(r.status, 2);
    assert.equal(errorCode(r), 'POLICY_INVALID');
    assert.match(r.stderr, /bad-policy\.yaml:3:1/);
  });

  it('every single-byte change to the payload fails with SIGNATURE_INVALID', async () => {
    const original = JSON.parse(await readFile(bundle, 'utf8'));
    const payload = Buffer.from(original.dsseEnvelope.payload, 'base64');
    const tampered = join(dir, 'tampered.json');
    for (let i = 0; i < payload.length; i++) {
      const copy = Buffer.from(payload);
      copy[i]! ^= 0x01;
      await writeFile(tampered, JSON.stringify({ ...original, dsseEnvelope: { ...original.dsseEnvelope, payload: copy.toString('base64') } }));
      const r = await runCliInProcess(['verify', DIGEST, '--bundle', tampered, '--key', pub]);
      assert.equal(r.status, 1, `byte ${i}`);
      assert.equal(r.stdout, `FAILED\n  SIGNATURE_INVALID: ${r.stdout.split('SIGNATURE_INVALID: ')[1]}`, `byte ${i}: ${r.stdout}`);
    }
  });

  it('every single-byte change to the signature fails with SIGNATURE_INVALID', async () => {
    const original = JSON.parse(await readFile(bundle, 'utf8'));
    const sig = Buffer.from(original.dsseEnvelope.signatures[0].sig, 'base64');
    const tampered = join(dir, 'tampered-sig.json');
    for (let i = 0; i < sig.length; i++) {
      const copy = Buffer.from(sig);
      copy[i]! ^= 0x80;
      const env = { ...original.dsseEnvelope, signatures: [{ ...original.dsseEnvelope.signatures[0], sig: copy.toString('base64') }] };
      await writeFile(tampered, JSON.stringify({ ...original, dsseEnvelope: env }));
      const r = await runCliInProcess(['verify', DIGEST, '--bundle', tampered, '--key', pub]);
      assert.equal(r.status, 1, `byte ${i}`);
      assert.match(r.stdout, /^FAILED\n {2}SIGNATURE_INVALID: /, `byte ${i}`);
    }
  });
});

describe('bad input exits 2 with one coded line and no stack trace', () => {
  const bad: [string, () => Promise<string[]>, string][] = [
    ['malformed bundle JSON', async () => ['verify', DIGEST, '--bundle', await file('x.json', '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", '), '--key', pub], 'BUNDLE_MALFORMED'],
    ['bundle that is not a bundle', async () => ['verify', DIGEST, '--bundle', await file('y.json', '{"a":1}'), '--key', pub], 'BUNDLE_MALFORMED'],
    ['empty bundle file', async () => ['verify', DIGEST, '--bundle', await file('empty.json', ''), '--key', pub], 'BUNDLE_MALFORMED'],
    ['unknown bundle media type', async () => ['verify', DIGEST, '--bundle', await file('mt.json', '{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=9.9"}'), '--key', pub], 'BUNDLE_MALFORMED'],
    ['missing bundle file', async () => ['verify', DIGEST, '--bundle', join(dir, 'nope.json'), '--key', pub], 'FILE_UNREADABLE'],
    ['missing artifact', async () => ['verify', join(dir, 'no-such-artifact'), '--bundle', bundle, '--key', pub], 'FILE_UNREADABLE'],
    ['not a public key', async () => ['verify', DIGEST, '--bundle', bundle, '--key', await file('bad.pub', 'hello')], 'KEY_INVALID'],
    ['endless --key (/dev/zero)', async () => ['verify', DIGEST, '--bundle', bundle, '--key', '/dev/zero'], 'FILE_TOO_LARGE'],
    ['endless --policy (/dev/zero)', async () => ['verify', DIGEST, '--bundle', bundle, '--key', pub, '--policy', '/dev/zero'], 'FILE_TOO_LARGE'],
    ['endless bundle to attach (/dev/zero)', async () => ['attach', 'localhost:1/app@sha256:' + 'a'.repeat(64), '--bundle', '/dev/zero'], 'FILE_TOO_LARGE'],
    ['private key given as --key to verify', async () => ['verify', DIGEST, '--bundle', bundle, '--key', join(dir, 'k.key')], 'KEY_INVALID'],
    ['bad digest', async () => ['verify', 'sha256:abc', '--bundle', bundle, '--key', pub], 'DIGEST_INVALID'],
    ['bad duration', async () => ['verify', DIGEST, '--bundle', bundle, '--key', pub, '--max-age', 'forever'], 'POLICY_INVALID'],
    ['unknown flag', async () => ['verify', DIGEST, '--bundle', bundle, '--nope'], 'USAGE'],
    ['unknown command', async () => ['frobnicate'], 'USAGE'],
    ['attest without a key', async () => ['attest', '--subject', 's.json', '--cwd', dir, '--out', join(dir, 'never.json')], 'USAGE'],
    ['attest of a missing subject', async () => ['attest', '--subject', 'missing.bin', '--cwd', dir, '--key', join(dir, 'k.key'), '--out', join(dir, 'never.json')], 'FILE_UNREADABLE'],
    ['attest into a missing directory', async () => ['attest', '--subject', 's.json', '--cwd', dir, '--key', join(dir, 'k.key'), '--out', join(dir, 'no', 'dir', 'out.json'), '--no-deps'], 'OUTPUT_UNWRITABLE'],
    ['bad --subject-digest', async () => ['generate', '--subject-digest', 'app@sha256:xyz', '--no-deps'], 'DIGEST_INVALID'],
    ['bad --digest-alg', async () => ['generate', '--subject', 's.json', '--cwd', dir, '--digest-alg', 'md5'], 'USAGE'],
    ['hostile lockfile', async () => ['generate', '--subject', 's.json', '--cwd', dir, '--lockfile', await file('package-lock.json', '{"lockfileVersion": 3, "packages": []}')], 'LOCKFILE_INVALID'],
  ];
  for (const [name, args, code] of bad) {
    it(`${name} -> ${code}`, async () => {
      const r = await runCli(await args());
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(errorCode(r), code, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }

  it('a failed attest leaves no output file behind, not even a temporary one', async () => {
    const before = (await readdir(dir)).sort();
    await runCli(['attest', '--subject', 'missing.bin', '--cwd', dir, '--key', join(dir, 'k.key'), '--out', join(dir, 'never.json')]);
    assert.deepEqual((await readdir(dir)).sort(), before);
  });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}
