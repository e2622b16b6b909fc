// Results as attestations, end to end: `verify --vsa-out` writes a signed VSA, `verify --vsa` checks
// one as evidence, and each step of the SLSA VSA verification fails with its own code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VsaV1Schema } from '@provenant/core';
import { type SigstoreStack, startSigstoreStack } from '@provenant/testkit';
import { errorCode, runCli, runCliInProcess } from './support/cli.ts';

const VERIFIER = 'https://provenant.dev/verifier/v1';

interface Project {
  dir: string;
  bundle: string;
  policy: string;
  vsa: string;
}

let p: Project;

function payloadOf(bundleText: string): Record<string, unknown> {
  const bundle = JSON.parse(bundleText) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('verify --vsa-out, then verify --vsa', () => {
  after(() => rm(p.dir, { recursive: true, force: true }));
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provenant-vsa-'));
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'app.js'), 'console.log("app")\n');
    await writeFile(join(dir, 'other.bin'), 'not attested\n');
    for (const name of ['release', 'verifier']) assert.equal((await runCliInProcess(['keygen', '--out', join(dir, name)])).status, 0);
    const bundle = join(dir, 'app.sigstore.json');
    const attest = await runCliInProcess(['attest', '--cwd', dir, '--subject', 'dist/app.js', '--key', join(dir, 'release.key'), '--out', bundle, '--no-deps']);
    assert.equal(attest.status, 0, attest.stderr);
    const keyId = (JSON.parse(await readFile(bundle, 'utf8')) as { verificationMaterial: { publicKey: { hint: string } } }).verificationMaterial.publicKey.hint;
    const policy = join(dir, 'policy.yaml');
    await writeFile(
      policy,
      ['apiVersion: provenant.dev/v1', 'kind: Policy', 'builder:', '  idPrefixes: [https://provenant.dev/builders]', 'trustedBuilders:', '  - builderIdPrefix: https://provenant.dev/builders', '    signer:', `      keyId: ${keyId}`, '    maxLevel: 2', ''].join('\n'),
    );
    p = { dir, bundle, policy, vsa: join(dir, 'app.vsa.json') };
  });

  it('writes a signed VSA v1: PASSED at the level the roots of trust grant, policy and input attestation digests, both subject digests', async () => {
    const r = await runCli(['verify', join(p.dir, 'dist', 'app.js'), '--bundle', p.bundle, '--key', join(p.dir, 'release.pub'), '--policy', p.policy, '--vsa-out', p.vsa, '--vsa-key', join(p.dir, 'verifier.key')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED\n/);
    assert.match(r.stderr, /wrote .*app\.vsa\.json: VSA PASSED at SLSA_BUILD_LEVEL_2 for app\.js, signed with key/);
    const statement = payloadOf(await readFile(p.vsa, 'utf8')) as { predicateType: string; subject: { name: string; digest: Record<string, string> }[]; predicate: Record<string, unknown> };
    assert.equal(statement.predicateType, 'https://slsa.dev/verification_summary/v1');
    const predicate = VsaV1Schema.parse(statement.predicate);
    const artifact = await readFile(join(p.dir, 'dist', 'app.js'));
    assert.deepEqual(statement.subject, [{ name: 'dist/app.js', digest: { sha256: sha256(artifact), sha512: createHash('sha512').update(artifact).digest('hex') } }]);
    assert.equal(predicate.verifier.id, VERIFIER);
    assert.deepEqual(predicate.verifier.version, { provenant: '0.1.0' });
    assert.equal(predicate.resourceUri, 'app.js');
    assert.deepEqual(predicate.policy, { uri: p.policy, digest: { sha256: sha256(await readFile(p.policy)) } });
    assert.deepEqual(predicate.inputAttestations, [{ uri: p.bundle, digest: { sha256: sha256(await readFile(p.bundle)) } }]);
    assert.equal(predicate.verificationResult, 'PASSED');
    assert.deepEqual(predicate.verifiedLevels, ['SLSA_BUILD_LEVEL_2']);
    assert.equal(predicate.slsaVersion, '1.0');
    assert.ok(Date.now() - Date.parse(predicate.timeVerified!) < 60_000);
  });

  const evidence = (extra: string[], artifact = join(p.dir, 'dist', 'app.js'), bundle = p.vsa) =>
    runCliInProcess(['verify', artifact, '--vsa', '--bundle', bundle, '--key', join(p.dir, 'verifier.pub'), '--vsa-verifier-id', VERIFIER, '--vsa-resource-uri', 'app.js', '--vsa-level', 'SLSA_BUILD_LEVEL_2', ...extra]);

  it('verifies the VSA as evidence: trusted verifier, this artifact, this resource, PASSED, the level asked (a level implies lower ones)', async () => {
    const r = await evidence(['--max-age', '1h', '--vsa-level', 'SLSA_BUILD_LEVEL_1']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED\n {2}subject {2}dist\/app\.js\n {2}signer {3}key /);
  });

  const mismatches: [string, () => Promise<{ status: number; stdout: string }>, string[]][] = [
    ['another verifier id', () => runCliInProcess(['verify', join(p.dir, 'dist', 'app.js'), '--vsa', '--bundle', p.vsa, '--key', join(p.dir, 'verifier.pub'), '--vsa-verifier-id', 'https://gate.example/v', '--vsa-resource-uri', 'app.js', '--vsa-level', 'SLSA_BUILD_LEVEL_2']), ['VSA_VERIFIER_MISMATCH']],
    ['another resource', () => evidence(['--vsa-resource-uri', 'https://cdn.example/app.js']), ['VSA_RESOURCE_URI_MISMATCH']],
    ['a higher level than verified', () => evidence(['--vsa-level', 'SLSA_BUILD_LEVEL_3']), ['VSA_LEVEL_MISSING']],
    ['a dependency level the VSA makes no claim about', () => evidence(['--vsa-dependency-level', 'SLSA_BUILD_LEVEL_1']), ['VSA_DEPENDENCY_LEVEL_TOO_LOW']],
    ['another artifact', () => evidence([], join(p.dir, 'other.bin')), ['SUBJECT_DIGEST_MISMATCH']],
    ['provenance given as a VSA', () => evidence([], join(p.dir, 'dist', 'app.js'), p.bundle), ['KEY_UNTRUSTED']],
  ];
  for (const [name, run, want] of mismatches) {
    it(`${name} -> ${want.join(', ')}, exit 1`, async () => {
      const r = await run();
      assert.equal(r.status, 1, r.stdout);
      assert.deepEqual([...r.stdout.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]), want);
    });
  }

  it('a failed verification is recorded too: a FAILED VSA, exit 1; as evidence it fails VSA_RESULT_FAILED', async () => {
    const failedVsa = join(p.dir, 'other.vsa.json');
    const r = await runCliInProcess(['verify', join(p.dir, 'other.bin'), '--bundle', p.bundle, '--key', join(p.dir, 'release.pub'), '--vsa-out', failedVsa, '--vsa-key', join(p.dir, 'verifier.key')]);
    assert.equal(r.status, 1);
    const predicate = payloadOf(await readFile(failedVsa, 'utf8')).predicate as { verificationResult: string; verifiedLevels: string[]; policy: { uri: string } };
    assert.equal(predicate.verificationResult, 'FAILED');
    assert.deepEqual(predicate.verifiedLevels, ['FAILED']);
    assert.match(predicate.policy.uri, /^data:application\/json;base64,/, 'flags only: the policy applied, inline');
    const e = await runCliInProcess(['verify', join(p.dir, 'other.bin'), '--vsa', '--bundle', failedVsa, '--key', join(p.dir, 'verifier.pub'), '--vsa-verifier-id', VERIFIER, '--vsa-resource-uri', 'other.bin', '--vsa-level', 'SLSA_BUILD_LEVEL_1']);
    assert.equal(e.status, 1);
    assert.deepEqual([...e.stdout.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]), ['VSA_RESULT_FAILED', 'VSA_LEVEL_MISSING']);
  });

  it('usage: --vsa needs the verifier, resource and level it expects, and refuses provenance constraints', async () => {
    const bare = await runCliInProcess(['verify', join(p.dir, 'dist', 'app.js'), '--vsa', '--bundle', p.vsa, '--key', join(p.dir, 'verifier.pub')]);
    assert.equal(bare.status, 2);
    assert.equal(errorCode(bare), 'USAGE');
    assert.match(bare.stderr, /--vsa-verifier-id ID, --vsa-resource-uri URI, --vsa-level LEVEL/);
    const stray = await evidence(['--source-uri', 'https://github.com/acme/app']);
    assert.equal(stray.status, 2);
    assert.match(stray.stderr, /USAGE: --vsa verifies a VSA, not provenance/);
  });

  it('a VSA that cannot be written leaves nothing behind (OUTPUT_UNWRITABLE, exit 2)', async () => {
    const out = join(p.dir, 'missing-dir', 'x.vsa.json');
    const r = await runCliInProcess(['verify', join(p.dir, 'dist', 'app.js'), '--bundle', p.bundle, '--key', join(p.dir, 'release.pub'), '--vsa-out', out, '--vsa-key', join(p.dir, 'verifier.key')]);
    assert.equal(r.status, 2);
    assert.equal(errorCode(r), 'OUTPUT_UNWRITABLE');
    assert.ok(!(await readdir(p.dir)).some((f) => f.startsWith('.x.vsa.json')));
  });

  it('a bad --vsa-key fails before anything is verified (KEY_INVALID)', async () => {
    const r = await runCliInProcess(['verify', join(p.dir, 'dist', 'app.js'), '--bundle', p.bundle, '--key', join(p.dir, 'release.pub'), '--vsa-out', join(p.dir, 'y.vsa.json'), '--vsa-key', join(p.dir, 'verifier.pub')]);
    assert.equal(r.status, 2);
    assert.equal(errorCode(r), 'KEY_INVALID');
  });
});

describe('a keyless VSA (testkit Fulcio, Rekor and TSA on 127.0.0.1)', () => {
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const GATE = 'https://github.com/acme/gate/.github/workflows/verify.yml@refs/heads/main';
  let stack: SigstoreStack;
  let dir: string;
  before(async () => {
    stack = await startSigstoreStack();
    dir = await mkdtemp(join(tmpdir(), 'provenant-vsa-keyless-'));
  });
  after(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('--vsa-keyless signs like attest does; --vsa checks it with a trusted root and the verifier\'s identity', async () => {
    await writeFile(join(dir, 'app.js'), 'app\n');
    assert.equal((await runCliInProcess(['keygen', '--out', join(dir, 'release')])).status, 0);
    const bundle = join(dir, 'app.sigstore.json');
    assert.equal((await runCliInProcess(['attest', '--cwd', dir, '--subject', 'app.js', '--key', join(dir, 'release.key'), '--out', bundle, '--no-deps'])).status, 0);
    const config = join(dir, 'signing_config.json');
    await writeFile(config, JSON.stringify(stack.signingConfig));
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, stack.identityToken({ issuer: ISSUER, subject: GATE, repository: 'acme/gate', ref: 'refs/heads/main' }));
    const vsa = join(dir, 'app.vsa.json');
    const env = { SIGSTORE_ID_TOKEN: '', BUILDKITE: '', CIRCLECI: '', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
    const w = await runCli(['verify', join(dir, 'app.js'), '--bundle', bundle, '--key', join(dir, 'release.pub'), '--vsa-out', vsa, '--vsa-keyless', '--vsa-identity-token', `@${tokenFile}`, '--vsa-signing-config', config], { env });
    assert.equal(w.status, 0, w.stdout + w.stderr);
    assert.match(w.stderr, /VSA PASSED at SLSA_BUILD_LEVEL_1 for app\.js, signed keyless as https:\/\/github\.com\/acme\/gate\//);
    const root = join(dir, 'trusted_root.json');
    await stack.writeTrustedRoot(root);
    const check = (identity: string) =>
      runCliInProcess(['verify', join(dir, 'app.js'), '--vsa', '--bundle', vsa, '--trusted-root', root, '--certificate-identity', identity, '--certificate-oidc-issuer', ISSUER, '--vsa-verifier-id', VERIFIER, '--vsa-resource-uri', 'app.js', '--vsa-level', 'SLSA_BUILD_LEVEL_1']);
    const ok = await check(GATE);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, new RegExp(`signer {3}${GATE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(issuer ${ISSUER.replace(/[./]/g, '\\$&')}\\)`));
    const other = await check('https://github.com/evil/gate/.github/workflows/verify.yml@refs/heads/main');
    assert.equal(other.status, 1);
    assert.match(other.stdout, /IDENTITY_MISMATCH/);
  });
});
