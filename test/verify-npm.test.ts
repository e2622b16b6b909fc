// `provenant verify-npm`, end to end: a small lockfile, tarballs and attestations made here, with
// fresh keys; integrity, provenance, missing provenance and downgrades, each with its code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeySigner, generateKeyPair, loadPrivateKey, serializeBundle, signStatementToBundle } from '@provenant/core';
import { errorCode, runCli, runCliInProcess } from './support/cli.ts';

const BUILDER = 'https://github.com/actions/runner/github-hosted';
let dir: string;
const keys = generateKeyPair('ecdsa-p256');

/** A package: its tarball bytes (any bytes: only their digest matters here). */
const PACKAGES = [
  { name: 'left-pad', version: '1.3.0', tarball: Buffer.from('left-pad tarball'), attested: true },
  { name: '@acme/util', version: '2.0.0', tarball: Buffer.from('@acme/util tarball'), attested: true },
  { name: 'ms', version: '2.1.3', tarball: Buffer.from('ms tarball'), attested: false },
];

const sri = (bytes: Uint8Array) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** npm provenance's shape: subject pkg:npm/<name>@<version> with the tarball's sha512. */
async function attest(name: string, version: string, tarball: Uint8Array, source = 'https://github.com/acme/pkgs'): Promise<string> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `pkg:npm/${name.replace('@', '%40')}@${version}`, digest: { sha512: createHash('sha512').update(tarball).digest('hex') } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1', externalParameters: { workflow: { ref: 'refs/heads/main', repository: source, path: '.github/workflows/release.yml' } }, resolvedDependencies: [{ uri: `git+${source}@refs/heads/main`, digest: { gitCommit: '0'.repeat(40) } }] },
      runDetails: { builder: { id: BUILDER }, metadata: { invocationId: `${source}/actions/runs/1/attempts/1` } },
    },
  };
  return serializeBundle(await signStatementToBundle(Buffer.from(JSON.stringify(statement)), new KeySigner(loadPrivateKey(keys.privateKeyPem))));
}

describe('verify-npm', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-npm-'));
    await mkdir(join(dir, 'tarballs', '@acme'), { recursive: true });
    await mkdir(join(dir, 'att', '@acme'), { recursive: true });
    const lock = { name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(PACKAGES.map((p) => [p.name, `^${p.version}`])) } } as Record<string, unknown> };
    for (const p of PACKAGES) {
      lock.packages[`node_modules/${p.name}`] = { version: p.version, resolved: `https://registry.npmjs.org/${p.name}/-/${p.name.split('/').at(-1)}-${p.version}.tgz`, integrity: sri(p.tarball) };
      // A scoped tarball under npm pack's flat name, the others in the documented layout.
      await writeFile(join(dir, 'tarballs', p.name === '@acme/util' ? `acme-util-${p.version}.tgz` : `${p.name}-${p.version}.tgz`), p.tarball);
      if (p.attested) await writeFile(join(dir, 'att', `${p.name}@${p.version}.sigstore.json`), await attest(p.name, p.version, p.tarball));
    }
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    await writeFile(join(dir, 'release.pub'), keys.publicKeyPem);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const args = (...extra: string[]) => ['verify-npm', dir, '--tarballs', join(dir, 'tarballs'), '--attestations', join(dir, 'att'), '--key', join(dir, 'release.pub'), ...extra];

  it('checks tarballs against integrity and attestations against the policy; missing provenance is reported, not failed', async () => {
    const r = await runCli(args());
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED {2}L1 {2}left-pad@1\.3\.0 +integrity verified, provenance verified, builder https:\/\/github\.com\/actions\/runner\/github-hosted$/m);
    assert.match(r.stdout, /^PASSED {2}L1 {2}@acme\/util@2\.0\.0 +integrity verified, provenance verified/m);
    assert.match(r.stdout, /^PASSED {2}L0 {2}ms@2\.1\.3 +integrity verified, provenance missing$/m);
    assert.match(r.stdout, /3 packages in .*package-lock\.json: 2 with verified provenance, 1 without provenance, 3 tarballs matching integrity; 0 failed\nPASSED\n$/);
  });

  it('--require-provenance (or requireProvenance: true): a package without an attestation fails PROVENANCE_MISSING', async () => {
    const r = await runCliInProcess(args('--require-provenance', '--json'));
    assert.equal(r.status, 1);
    const ms = JSON.parse(r.stdout).packages.find((p: { name: string }) => p.name === 'ms');
    assert.deepEqual(ms.findings.map((f: { code: string }) => f.code), ['PROVENANCE_MISSING']);
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, 'apiVersion: provenant.dev/v1\nkind: Policy\nrequireProvenance: true\n');
    assert.equal((await runCliInProcess(args('--policy', policy))).status, 1);
  });

  it('a tarball that is not the one the lockfile records -> INTEGRITY_MISMATCH', async () => {
    const path = join(dir, 'tarballs', 'ms-2.1.3.tgz');
    await writeFile(path, 'tampered');
    try {
      const r = await runCliInProcess(args());
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^FAILED {2}L0 {2}ms@2\.1\.3 +integrity mismatch, provenance missing\n {8}INTEGRITY_MISMATCH: /m);
    } finally {
      await writeFile(path, PACKAGES[2]!.tarball);
    }
  });

  it('an attestation that does not verify fails its package with the verifier\'s codes', async () => {
    const other = generateKeyPair('ecdsa-p256');
    await writeFile(join(dir, 'other.pub'), other.publicKeyPem);
    const r = await runCliInProcess(['verify-npm', dir, '--attestations', join(dir, 'att'), '--key', join(dir, 'other.pub'), '--json']);
    assert.equal(r.status, 1);
    const leftPad = JSON.parse(r.stdout).packages.find((p: { name: string }) => p.name === 'left-pad');
    assert.equal(leftPad.provenance, 'failed');
    assert.equal(leftPad.integrity, 'no-tarball');
    assert.deepEqual(leftPad.findings.map((f: { code: string }) => f.code), ['KEY_UNTRUSTED']);
  });

  it('--trust-record: provenance that disappears, or comes from another source, fails PROVENANCE_DOWNGRADE', async () => {
    const record = join(dir, 'trust.json');
    assert.equal((await runCliInProcess(args('--trust-record', record))).status, 0);
    const saved = JSON.parse(await readFile(record, 'utf8'));
    assert.deepEqual(Object.keys(saved.entries).sort(), ['@acme/util', 'left-pad']);
    assert.equal(saved.entries['left-pad'].sourceUri, 'https://github.com/acme/pkgs');

    const attestation = join(dir, 'att', 'left-pad@1.3.0.sigstore.json');
    const original = await readFile(attestation);
    await unlink(attestation);
    try {
      const gone = await runCliInProcess(args('--trust-record', record));
      assert.equal(gone.status, 1);
      assert.match(gone.stdout, /^FAILED {2}L0 {2}left-pad@1\.3\.0 .*\n {8}PROVENANCE_DOWNGRADE: left-pad: provenance has disappeared/m);
      await writeFile(attestation, await attest('left-pad', '1.3.0', PACKAGES[0]!.tarball, 'https://github.com/evil/fork'));
      const moved = await runCliInProcess(args('--trust-record', record));
      assert.equal(moved.status, 1);
      assert.match(moved.stdout, /PROVENANCE_DOWNGRADE: left-pad: source https:\/\/github\.com\/evil\/fork, not https:\/\/github\.com\/acme\/pkgs/);
      assert.deepEqual(JSON.parse(await readFile(record, 'utf8')), saved, 'a failed run leaves the record as it was');
    } finally {
      await writeFile(attestation, original);
    }
  });

  it('no lockfile -> FILE_UNREADABLE, exit 2', async () => {
    const r = await runCliInProcess(['verify-npm', join(dir, 'att')]);
    assert.equal(r.status, 2);
    assert.equal(errorCode(r), 'FILE_UNREADABLE');
  });
});
