// End to end through the built CLI: keygen -> attest -> verify, and each way verification must fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { errorCode, runCli, tempDir } from './support/cli.ts';

/** The label of a PEM file's first block (`PRIVATE KEY` for PKCS#8, `PUBLIC KEY` for SPKI). */
function pemLabel(text: string): string | undefined {
  return /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
}

async function project(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'dist', 'sub'), { recursive: true });
  await writeFile(join(dir, 'dist', 'app.js'), 'console.log("app")\n');
  await writeFile(join(dir, 'dist', 'sub', 'lib.js'), 'export {}\n');
  await writeFile(join(dir, 'other.bin'), 'not attested\n');
  const keygen = await runCli(['keygen', '--out', join(dir, 'release')]);
  assert.equal(keygen.status, 0, keygen.stderr);
  const bundle = join(dir, 'build.sigstore.json');
  const attest = await runCli(['attest', '--cwd', dir, '--subject', 'dist', '--key', join(dir, 'release.key'), '--out', bundle, '--no-deps']);
  assert.equal(attest.status, 0, attest.stderr);
  return { dir, bundle, pub: join(dir, 'release.pub'), key: join(dir, 'release.key') };
}

describe('attest -> verify', () => {
  it('passes for an attested file and prints PASSED', async (t) => {
    const p = await project(t);
    const r = await runCli(['verify', join(p.dir, 'dist', 'sub', 'lib.js'), '--bundle', p.bundle, '--key', p.pub, '--max-age', '1h']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED\n/);
    assert.match(r.stdout, /subject {2}dist\/sub\/lib\.js/);
  });

  it('passes by digest (sha256:<hex>) and prints the result as JSON with --json', async (t) => {
    const p = await project(t);
    const hex = execFileSync('sha256sum', [join(p.dir, 'dist', 'app.js')]).toString().slice(0, 64);
    const r = await runCli(['verify', `sha256:${hex}`, '--bundle', p.bundle, '--key', p.pub, '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.ok, true);
    assert.deepEqual(result.findings, []);
    assert.equal(result.subjects[0].name, 'dist/app.js');
    assert.match(result.signer.keyId, /^[0-9a-f]{64}$/);
  });

  it('another artifact -> SUBJECT_DIGEST_MISMATCH, exit 1', async (t) => {
    const p = await project(t);
    const r = await runCli(['verify', join(p.dir, 'other.bin'), '--bundle', p.bundle, '--key', p.pub]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAILED\n {2}SUBJECT_DIGEST_MISMATCH: /);
  });

  it('another key -> KEY_UNTRUSTED, exit 1', async (t) => {
    const p = await project(t);
    assert.equal((await runCli(['keygen', '--out', join(p.dir, 'other')])).status, 0);
    const r = await runCli(['verify', join(p.dir, 'dist', 'app.js'), '--bundle', p.bundle, '--key', join(p.dir, 'other.pub')]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /KEY_UNTRUSTED|SIGNATURE_INVALID/);
  });

  it('no key at all -> NO_TRUST_CONSTRAINT: nothing passes without a trust constraint', async (t) => {
    const p = await project(t);
    const r = await runCli(['verify', join(p.dir, 'dist', 'app.js'), '--bundle', p.bundle]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /NO_TRUST_CONSTRAINT/);
  });

  it('--format intoto-jsonl writes a DSSE envelope line that verifies', async (t) => {
    const p = await project(t);
    const out = join(p.dir, 'build.intoto.jsonl');
    const a = await runCli(['attest', '--cwd', p.dir, '--subject', 'dist/app.js', '--key', p.key, '--out', out, '--format', 'intoto-jsonl', '--no-deps']);
    assert.equal(a.status, 0, a.stderr);
    const line = JSON.parse((await readFile(out, 'utf8')).trim());
    assert.equal(line.payloadType, 'application/vnd.in-toto+json');
    const r = await runCli(['verify', join(p.dir, 'dist', 'app.js'), '--bundle', out, '--key', p.pub]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('writes a Sigstore bundle v0.3 that @sigstore/verify accepts and whose signature node:crypto checks over PAE', async (t) => {
    const p = await project(t);
    const json = JSON.parse(await readFile(p.bundle, 'utf8'));
    assert.equal(json.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    const pubKey = createPublicKey(await readFile(p.pub, 'utf8'));
    // 1. node:crypto over the PAE bytes, per the DSSE spec, nothing of ours involved.
    const env = json.dsseEnvelope;
    const payload = Buffer.from(env.payload, 'base64');
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${env.payloadType.length} ${env.payloadType} ${payload.length} `), payload]);
    assert.equal(cryptoVerify('sha256', pae, pubKey, Buffer.from(env.signatures[0].sig, 'base64')), true);
    // 2. sigstore-js's verifier with the same key.
    const keyId = json.verificationMaterial.publicKey.hint;
    const verifier = new Verifier(
      toTrustMaterial(
        { mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json', tlogs: [], ctlogs: [], certificateAuthorities: [], timestampAuthorities: [] },
        { [keyId]: { rawBytes: pubKey.export({ type: 'spki', format: 'der' }), keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } },
      ),
      { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 },
    );
    const signer = verifier.verify(toSignedEntity(bundleFromJSON(json)));
    assert.equal(signer.key.export({ type: 'spki', format: 'pem' }), pubKey.export({ type: 'spki', format: 'pem' }));
  });

  it('records a SLSA v1 statement with sorted keys, the buildType and relative subject names', async (t) => {
    const p = await project(t);
    const json = JSON.parse(await readFile(p.bundle, 'utf8'));
    const text = Buffer.from(json.dsseEnvelope.payload, 'base64').toString('utf8');
    const statement = JSON.parse(text);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.equal(statement.predicateType, 'https://slsa.dev/provenance/v1');
    assert.deepEqual(statement.subject.map((s: { name: string }) => s.name), ['dist/app.js', 'dist/sub/lib.js']);
    assert.equal(statement.predicate.buildDefinition.buildType, 'https://provenant.dev/buildtypes/ci/v1');
    assert.equal(statement.predicate.runDetails.builder.id, 'https://provenant.dev/builders/local/v1');
    assert.match(statement.predicate.runDetails.metadata.invocationId, /^urn:uuid:[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(statement), ['_type', 'predicate', 'predicateType', 'subject']);
  });
});

describe('keygen', () => {
  it('writes the private key with mode 0600, PKCS#8, and refuses to overwrite', async (t) => {
    const dir = await tempDir(t);
    for (const type of ['ecdsa-p256', 'ecdsa-p384', 'ed25519']) {
      const r = await runCli(['keygen', '--out', join(dir, type), '--type', type]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal((await stat(join(dir, `${type}.key`))).mode & 0o777, 0o600);
      assert.equal(pemLabel(await readFile(join(dir, `${type}.key`), 'utf8')), 'PRIVATE KEY', 'PKCS#8');
      assert.equal(pemLabel(await readFile(join(dir, `${type}.pub`), 'utf8')), 'PUBLIC KEY', 'SPKI');
    }
    const again = await runCli(['keygen', '--out', join(dir, 'ed25519')]);
    assert.equal(again.status, 2);
    assert.equal(errorCode(again), 'USAGE');
  });

  it('encrypts with a passphrase from the environment; attest needs it and never prints it', async (t) => {
    const dir = await tempDir(t);
    const secret = 'pass-phrase-that-must-not-leak';
    const env = { MY_PASS: secret };
    assert.equal((await runCli(['keygen', '--out', join(dir, 'enc'), '--passphrase-env', 'MY_PASS'], { env })).status, 0);
    assert.equal(pemLabel(await readFile(join(dir, 'enc.key'), 'utf8')), 'ENCRYPTED PRIVATE KEY');
    await writeFile(join(dir, 'a.txt'), 'a');
    const args = ['attest', '--cwd', dir, '--subject', 'a.txt', '--key', join(dir, 'enc.key'), '--out', join(dir, 'a.json'), '--no-deps'];
    const without = await runCli(args);
    assert.equal(without.status, 2);
    assert.equal(errorCode(without), 'KEY_PASSPHRASE_REQUIRED');
    const wrong = await runCli([...args, '--key-passphrase-env', 'MY_PASS'], { env: { MY_PASS: 'wrong' } });
    assert.equal(errorCode(wrong), 'KEY_INVALID');
    const ok = await runCli([...args, '--key-passphrase-env', 'MY_PASS'], { env });
    assert.equal(ok.status, 0, ok.stderr);
    const everything = without.stderr + wrong.stderr + ok.stderr + ok.stdout + (await readFile(join(dir, 'a.json'), 'utf8'));
    assert.equal(everything.includes(secret), false);
  });
});

describe('sign', () => {
  it('signs a statement made elsewhere byte for byte', async (t) => {
    const dir = await tempDir(t);
    await runCli(['keygen', '--out', join(dir, 'k')]);
    // Odd spacing and key order on purpose: the signed payload must be exactly these bytes.
    const text = '{ "predicateType":"https://slsa.dev/provenance/v1", "_type":"https://in-toto.io/Statement/v1",\n "subject":[{"name":"x","digest":{"sha256":"' + 'a'.repeat(64) + '"}}], "predicate":{"buildDefinition":{"buildType":"https://example.com/t","externalParameters":{}},"runDetails":{"builder":{"id":"https://example.com/b"}}} }\n';
    await writeFile(join(dir, 's.json'), text);
    const r = await runCli(['sign', join(dir, 's.json'), '--key', join(dir, 'k.key'), '--out', join(dir, 's.sigstore.json')]);
    assert.equal(r.status, 0, r.stderr);
    const bundle = JSON.parse(await readFile(join(dir, 's.sigstore.json'), 'utf8'));
    assert.equal(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'), text);
    const v = await runCli(['verify', `sha256:${'a'.repeat(64)}`, '--bundle', join(dir, 's.sigstore.json'), '--key', join(dir, 'k.pub'), '--builder-id', 'https://example.com/b']);
    assert.equal(v.status, 0, v.stdout);
  });

  it('refuses a file that is not an in-toto statement (exit 2, STATEMENT_INVALID) and writes nothing', async (t) => {
    const dir = await tempDir(t);
    await runCli(['keygen', '--out', join(dir, 'k')]);
    await writeFile(join(dir, 's.json'), '{"hello":"world"}');
    const r = await runCli(['sign', join(dir, 's.json'), '--key', join(dir, 'k.key'), '--out', join(dir, 'out.json')]);
    assert.equal(r.status, 2);
    assert.equal(errorCode(r), 'STATEMENT_INVALID');
    assert.deepEqual((await readdir(dir)).sort(), ['k.key', 'k.pub', 's.json']);
  });
});

describe('subjects', () => {
  it('takes --subject-digest and --subject-checksums, and globs', async (t) => {
    const dir = await tempDir(t);
    await runCli(['keygen', '--out', join(dir, 'k')]);
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out', 'a.tgz'), 'tarball');
    await writeFile(join(dir, 'out', 'b.txt'), 'b');
    await writeFile(join(dir, 'SHA256SUMS'), `${'b'.repeat(64)}  ./bin/tool\n${'c'.repeat(64)} *bin/tool2\n`);
    const r = await runCli(['generate', '--cwd', dir, '--subject', 'out/*.tgz', '--subject-digest', `image@sha256:${'d'.repeat(64)}`, '--subject-checksums', 'SHA256SUMS', '--no-deps']);
    assert.equal(r.status, 0, r.stderr);
    const statement = JSON.parse(r.stdout);
    const byName = Object.fromEntries(statement.subject.map((s: { name: string; digest: object }) => [s.name, s.digest]));
    assert.deepEqual(Object.keys(byName), ['bin/tool', 'bin/tool2', 'image', 'out/a.tgz']);
    assert.deepEqual(Object.keys(byName['out/a.tgz']).sort(), ['sha256', 'sha512'], 'npm tarballs get sha512 as well');
    assert.equal(byName.image.sha256, 'd'.repeat(64));
  });

  it('refuses a symlink leading outside --cwd and a path with ..', async (t) => {
    const dir = await tempDir(t);
    const outside = await tempDir(t);
    await writeFile(join(outside, 'secret.txt'), 'x');
    await mkdir(join(dir, 'dist'));
    await symlink(join(outside, 'secret.txt'), join(dir, 'dist', 'link.txt'));
    const viaDir = await runCli(['generate', '--cwd', dir, '--subject', 'dist', '--no-deps']);
    assert.equal(viaDir.status, 2);
    assert.equal(errorCode(viaDir), 'SUBJECT_OUTSIDE_ROOT');
    const viaDotDot = await runCli(['generate', '--cwd', dir, '--subject', `../${outside.split('/').pop()}/secret.txt`, '--no-deps']);
    assert.equal(errorCode(viaDotDot), 'SUBJECT_OUTSIDE_ROOT');
  });
});

describe('git source', () => {
  it('records commit, ref and a clean tree, and --source-ref / --source-uri check them', async (t) => {
    const dir = await tempDir(t);
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).toString().trim();
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', 'https://user:s3cr3t-token@github.com/acme/app.git');
    await writeFile(join(dir, 'app.txt'), 'app');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    const commit = git('rev-parse', 'HEAD');
    await runCli(['keygen', '--out', join(dir, '..', `${dir.split('/').pop()}-k`)]);
    const key = join(dir, '..', `${dir.split('/').pop()}-k`);
    t.after(async () => {
      const { rm } = await import('node:fs/promises');
      await rm(`${key}.key`, { force: true });
      await rm(`${key}.pub`, { force: true });
    });
    const bundle = join(dir, '..', `${dir.split('/').pop()}.json`);
    t.after(async () => (await import('node:fs/promises')).rm(bundle, { force: true }));
    const a = await runCli(['attest', '--cwd', dir, '--subject', 'app.txt', '--key', `${key}.key`, '--out', bundle, '--no-deps']);
    assert.equal(a.status, 0, a.stderr);
    const statement = JSON.parse(Buffer.from(JSON.parse(await readFile(bundle, 'utf8')).dsseEnvelope.payload, 'base64').toString());
    assert.deepEqual(statement.predicate.buildDefinition.externalParameters.source, { commit, ref: 'refs/heads/main', repository: 'https://github.com/acme/app.git' });
    assert.deepEqual(statement.predicate.buildDefinition.internalParameters.tree, { changedFiles: 0, state: 'clean' });
    assert.equal(JSON.stringify(statement).includes('s3cr3t-token'), false, 'credentials are stripped from the remote');
    const base = ['verify', join(dir, 'app.txt'), '--bundle', bundle, '--key', `${key}.pub`];
    assert.equal((await runCli([...base, '--source-uri', 'https://github.com/acme/app', '--source-ref', 'refs/heads/main'])).status, 0);
    const badRef = await runCli([...base, '--source-ref', 'refs/tags/v*']);
    assert.equal(badRef.status, 1);
    assert.match(badRef.stdout, /REF_MISMATCH/);
    const badSource = await runCli([...base, '--source-uri', 'https://github.com/evil/app']);
    assert.match(badSource.stdout, /SOURCE_MISMATCH/);
  });
});
