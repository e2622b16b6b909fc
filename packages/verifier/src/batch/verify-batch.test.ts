import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeySigner, type ProvenantError, digestBytes, loadPrivateKey, serializeBundle, signStatementToBundle } from '@provenant/core';
import { BUILDER_ID, NOW, provenantStatement, testKey } from '../testing/fixtures.ts';
import { recordAccepted, emptyTrustRecord } from '../trust-record/trust-record.ts';
import { parseManifest, resolveBatchTargets } from './batch-targets.ts';
import { startBatchWorkers } from './batch-workers.ts';
import { verifyBatch } from './verify-batch.ts';

const key = testKey();
const trust = { publicKeys: [key.publicKeyPem] };
let dir: string;

/** `count` artifacts in dir/dist, each with its own bundle in dir/att, plus an unattested one and a broken bundle. */
async function fixture(count: number): Promise<void> {
  await mkdir(join(dir, 'dist'), { recursive: true });
  await mkdir(join(dir, 'att', 'nested'), { recursive: true });
  const signer = new KeySigner(loadPrivateKey(key.privateKeyPem));
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(`artifact ${i}\n`);
    await writeFile(join(dir, 'dist', `a${i}.bin`), bytes);
    const statement = provenantStatement((s) => {
      s.subject = [{ name: `a${i}.bin`, digest: digestBytes(bytes, [i % 2 === 0 ? 'sha256' : 'sha512']) }];
    });
    const bundle = serializeBundle(await signStatementToBundle(Buffer.from(JSON.stringify(statement)), signer));
    await writeFile(join(dir, 'att', i % 10 === 0 ? 'nested' : '', `a${i}.sigstore.json`), bundle);
  }
  await writeFile(join(dir, 'dist', 'unattested.bin'), 'nobody attested this\n');
  await writeFile(join(dir, 'att', 'broken.json'), '{"not":"a bundle"}');
  await writeFile(join(dir, 'att', 'README.md'), 'not an attestation file name: ignored');
}

describe('verifyBatch', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-batch-'));
    await fixture(150);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('verifies every artifact against the attestations naming it, spread over worker threads, in input order', async () => {
    const artifacts = await resolveBatchTargets('dist', { cwd: dir });
    const report = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy: { builder: { ids: [BUILDER_ID] } }, now: NOW, threads: 3 });
    assert.equal(report.threads, 3, 'enough work for the main thread and two workers');
    assert.equal(report.items.length, 151);
    assert.equal(report.passed, 150);
    assert.equal(report.failed, 1);
    assert.equal(report.ok, false);
    assert.equal(report.attestationFiles, 151);
    assert.equal(report.attestationCount, 150);
    assert.deepEqual(report.items.map((i) => i.name), artifacts.map((a) => a.name));
    const missing = report.items.find((i) => i.name === 'unattested.bin');
    assert.deepEqual(missing?.findings.map((f) => f.code), ['PROVENANCE_MISSING']);
    const nested = report.items.find((i) => i.name === 'a10.bin');
    assert.deepEqual({ ok: nested?.ok, level: nested?.level, passedBy: nested?.passedBy }, { ok: true, level: 1, passedBy: 'nested/a10.sigstore.json' });
    assert.equal(report.unreadable.length, 1);
    assert.equal(report.unreadable[0]?.code, 'BUNDLE_MALFORMED');
  });

  it('gives the same verdicts on one thread, with policy findings and levels from the roots of trust', async () => {
    const artifacts = (await resolveBatchTargets('dist', { cwd: dir })).slice(0, 12);
    const policy = { source: { uris: ['https://github.com/acme/other'] }, trustedBuilders: [{ builderId: BUILDER_ID, signer: { keyId: key.keyId }, maxLevel: 2 as const }] };
    const failing = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy, now: NOW, threads: 1 });
    assert.equal(failing.threads, 1);
    assert.ok(failing.items.every((i) => !i.ok && i.findings.map((f) => f.code).join() === 'SOURCE_MISMATCH'));
    const passing = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy: { trustedBuilders: policy.trustedBuilders }, now: NOW });
    assert.ok(passing.ok);
    assert.ok(passing.items.every((i) => i.level === 2 && i.signer?.keyId === key.keyId));
  });

  it('with a trust record: fails provenance that weakened or vanished, and returns an updated record only when all pass', async () => {
    const artifacts = (await resolveBatchTargets('dist', { cwd: dir })).filter((a) => a.name === 'a1.bin' || a.name === 'a2.bin');
    const first = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy: {}, now: NOW, trustRecord: emptyTrustRecord() });
    assert.ok(first.ok);
    assert.deepEqual(Object.keys(first.trustRecord?.entries ?? {}).sort(), ['a1.bin', 'a2.bin']);
    const stronger = recordAccepted(first.trustRecord!, 'a1.bin', { builderId: BUILDER_ID, level: 3 }, NOW);
    const second = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy: {}, now: NOW, trustRecord: stronger });
    assert.equal(second.ok, false);
    assert.deepEqual(second.items.find((i) => i.name === 'a1.bin')?.findings.map((f) => f.code), ['PROVENANCE_DOWNGRADE']);
    assert.equal(second.trustRecord, undefined);
  });

  it('refuses unusable trust (KEY_INVALID) without leaving the workers it started running', async () => {
    // In a process of its own, which a worker left running would keep alive until the timeout.
    const script = `
      import { verifyBatch } from ${JSON.stringify(new URL('./verify-batch.ts', import.meta.url).href)};
      const artifacts = [{ name: 'x', digest: { sha256: '${'a'.repeat(64)}' } }];
      await verifyBatch({ artifacts, attestations: ${JSON.stringify(join(dir, 'att'))}, trust: { publicKeys: ['not a key'] }, policy: {}, threads: 2 })
        .then(() => console.log('passed'), (e) => console.log(e.code));`;
    const child = spawnSync(process.execPath, ['--conditions=provenant-source', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.signal, null, 'the process exits by itself');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'KEY_INVALID');
  });

  it('runs on workers started ahead and kept between batches: each batch with its own trust, one batch at a time', async () => {
    const workers = startBatchWorkers({ threads: 2 });
    try {
      assert.equal(workers.size, 1);
      const artifacts = await resolveBatchTargets('dist', { cwd: dir });
      const first = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy: {}, now: NOW, workers, threads: 2 });
      assert.equal(first.passed, 150);
      assert.equal(first.threads, 2);
      // The worker is ready now and takes work at once: with another key trusted, nothing may pass.
      await workers.ready;
      const other = { publicKeys: [testKey('ecdsa-p256', true).publicKeyPem] };
      const [second, third] = await Promise.all([
        verifyBatch({ artifacts, attestations: join(dir, 'att'), trust: other, policy: {}, now: NOW, workers, threads: 2 }),
        verifyBatch({ artifacts, attestations: join(dir, 'att'), trust, policy: {}, now: NOW, workers, threads: 2 }),
      ]);
      assert.equal(second.passed, 0);
      assert.ok(second.items.filter((i) => i.attestations.length > 0).every((i) => i.findings.some((f) => f.code === 'KEY_UNTRUSTED' || f.code === 'SIGNATURE_INVALID')));
      assert.equal(third.passed, 150);
    } finally {
      await workers.close();
    }
    assert.equal(workers.size, 0);
    const after = await verifyBatch({ artifacts: (await resolveBatchTargets('dist', { cwd: dir })).slice(0, 3), attestations: join(dir, 'att'), trust, policy: {}, now: NOW, workers, threads: 2 });
    assert.deepEqual({ passed: after.passed, threads: after.threads }, { passed: 3, threads: 1 }, 'closed workers: the main thread alone');
    await assert.rejects(verifyBatch({ artifacts: [], attestations: join(dir, 'att'), trust, policy: {}, workers: { size: 1, ready: Promise.resolve(), close: async () => {} } }), (e: ProvenantError) => e.code === 'USAGE');
  });

  it('kept workers left open keep no process alive, idle or after a batch', () => {
    const script = `
      import { startBatchWorkers } from ${JSON.stringify(new URL('./batch-workers.ts', import.meta.url).href)};
      import { verifyBatch } from ${JSON.stringify(new URL('./verify-batch.ts', import.meta.url).href)};
      const idle = startBatchWorkers({ threads: 2 });
      const used = startBatchWorkers({ threads: 2 });
      await used.ready;
      const report = await verifyBatch({ artifacts: [{ name: 'x', digest: { sha256: '${'a'.repeat(64)}' } }], attestations: ${JSON.stringify(join(dir, 'att'))}, trust: ${JSON.stringify(trust)}, policy: {}, threads: 2, workers: used });
      console.log(idle.size, used.size, report.items.length);`;
    const child = spawnSync(process.execPath, ['--conditions=provenant-source', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.signal, null, 'the process exits by itself, neither set closed');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), '1 1 1');
  });

  it('refuses an attestation directory that is not one (FILE_UNREADABLE)', async () => {
    await assert.rejects(verifyBatch({ artifacts: [{ name: 'x', digest: { sha256: 'a'.repeat(64) } }], attestations: join(dir, 'nope'), trust, policy: {} }), (e: ProvenantError) => e.code === 'FILE_UNREADABLE');
  });
});

describe('resolveBatchTargets', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'provenant-targets-'));
    await mkdir(join(root, 'dist', 'att'), { recursive: true });
    await writeFile(join(root, 'dist', 'b.js'), 'b');
    await writeFile(join(root, 'dist', 'a.js'), 'a');
    await writeFile(join(root, 'dist', 'a.txt'), 'a');
    await writeFile(join(root, 'dist', 'att', 'x.sigstore.json'), '{}');
    await symlink('/etc/passwd', join(root, 'dist', 'link'));
    await writeFile(join(root, 'sums.txt'), `# release\n${'ab'.repeat(32)}  app.tgz\n${'cd'.repeat(64)} *app.tgz\n`);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('a directory: its regular files by relative name, sorted, the attestation directory and symlinks left out', async () => {
    const targets = await resolveBatchTargets('dist', { cwd: root, exclude: ['dist/att'] });
    assert.deepEqual(targets.map((t) => t.name), ['a.js', 'a.txt', 'b.js']);
  });

  it('a glob, from the working directory', async () => {
    assert.deepEqual((await resolveBatchTargets('dist/*.js', { cwd: root })).map((t) => t.name), ['dist/a.js', 'dist/b.js']);
  });

  it('a manifest: digests by name, several algorithms per name', async () => {
    assert.deepEqual(await resolveBatchTargets('sums.txt', { cwd: root }), [{ name: 'app.tgz', digest: { sha256: 'ab'.repeat(32), sha512: 'cd'.repeat(64) } }]);
  });

  it('refuses a bad manifest line, two digests for a name, nothing to verify, and a missing path', async () => {
    assert.throws(() => parseManifest('xyz  app.tgz\n', 'm'), (e: ProvenantError) => e.code === 'DIGEST_INVALID' && e.message.startsWith('m:1:'));
    assert.throws(() => parseManifest(`${'ab'.repeat(32)}  a\n${'cd'.repeat(32)}  a\n`, 'm'), (e: ProvenantError) => e.code === 'SUBJECT_INVALID');
    await assert.rejects(resolveBatchTargets('dist/*.none', { cwd: root }), (e: ProvenantError) => e.code === 'SUBJECT_INVALID');
    await assert.rejects(resolveBatchTargets('missing', { cwd: root }), (e: ProvenantError) => e.code === 'FILE_UNREADABLE');
  });
});
