// The batch worker as it ships: dist/batch-worker.js is one file (scripts/bundle-batch-worker.ts
// in the verifier package) holding the verifier's and core's modules, with third-party packages
// left to node_modules. Run as a real worker thread from the build that `npm test` makes first, it
// must verify, and reach the modules it loads on demand (the dependency policy, core's zod
// schemas) from where it sits — what the source-mode tests of the pool cannot show.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { KeySigner, digestBytes, loadPrivateKey, serializeBundle, signStatementToBundle } from '@provenant/core';
import { ARTIFACT_DIGEST, BUILDER_ID, NOW, provenantStatement, testKey, v02Statement } from '../packages/verifier/src/testing/fixtures.ts';

const BUNDLED_WORKER = join(import.meta.dirname, '..', 'packages', 'verifier', 'dist', 'batch-worker.js');

type Reply = { ready: true } | { id: number; result: { kind: string; outcomes?: { artifact: number; ok: boolean; findings: { code: string }[]; predicateType?: string }[] } } | { id: number; error: { code: string; message: string } };

/** Starts the bundled worker, and returns a function that runs one job in it. */
async function startBundledWorker(): Promise<{ run: (job: unknown) => Promise<Reply>; close: () => Promise<number> }> {
  const worker = new Worker(BUNDLED_WORKER, { workerData: { compileCache: false } });
  const replies = new Map<number, (r: Reply) => void>();
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    worker.once('error', reject);
  });
  worker.on('message', (reply: Reply) => ('ready' in reply ? ready() : replies.get(reply.id)?.(reply)));
  await started;
  let next = 0;
  return {
    run: (job) =>
      new Promise((resolve) => {
        const id = next++;
        replies.set(id, resolve);
        worker.postMessage({ id, job });
      }),
    close: () => worker.terminate(),
  };
}

describe('the bundled batch worker (dist)', () => {
  let dir: string;
  const key = testKey();
  const write = async (name: string, statement: unknown) => {
    const bundle = serializeBundle(await signStatementToBundle(Buffer.from(JSON.stringify(statement)), new KeySigner(loadPrivateKey(key.privateKeyPem))));
    await writeFile(join(dir, name), bundle);
    return join(dir, name);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-bundled-worker-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is one file: no relative or @provenant/ imports left, third-party packages imported by name', async () => {
    const text = await readFile(BUNDLED_WORKER, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*import\s[^;]*?from\s+"([^"]+)"|\bimport\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]!);
    assert.ok(specifiers.length > 0, 'the bundle still imports node: builtins and packages');
    assert.deepEqual(
      specifiers.filter((s) => s.startsWith('.') || s.startsWith('/') || s.startsWith('@provenant/')),
      [],
    );
    assert.ok(specifiers.includes('@sigstore/bundle'), 'third-party packages stay imports resolved from node_modules');
  });

  it('verifies in a worker thread, and loads the dependency policy and core schemas on demand from dist', async () => {
    const good = await write('good.sigstore.json', provenantStatement());
    const denied = await write(
      'denied.sigstore.json',
      provenantStatement((s) => {
        (s.predicate.buildDefinition as { resolvedDependencies: unknown[] }).resolvedDependencies.push({ uri: 'pkg:npm/left-pad@1.1.0', digest: { sha512: 'ab'.repeat(64) } });
      }),
    );
    // A SLSA v0.2 predicate is left by the hand-written checks to core's zod schemas.
    const v02 = await write('v02.sigstore.json', v02Statement());
    const wrongKey = join(dir, 'wrong-key.sigstore.json');
    const other = testKey('ecdsa-p256', true);
    await writeFile(wrongKey, serializeBundle(await signStatementToBundle(Buffer.from(JSON.stringify(provenantStatement())), new KeySigner(loadPrivateKey(other.privateKeyPem)))));

    const setup = { trust: { publicKeys: [key.publicKeyPem] }, policy: { builder: { ids: [BUILDER_ID] }, dependencies: { deny: [{ purl: 'pkg:npm/left-pad' }] } }, now: NOW.getTime() };
    const worker = await startBundledWorker();
    try {
      const refused = await worker.run({ kind: 'artifacts', digests: [] });
      assert.ok('error' in refused && refused.error.code === 'INTERNAL', `a job before any setup is refused: ${JSON.stringify(refused)}`);
      assert.deepEqual(await worker.run({ kind: 'setup', setup }), { id: 1, result: { kind: 'setup' } });
      assert.deepEqual(await worker.run({ kind: 'artifacts', digests: [ARTIFACT_DIGEST, digestBytes(Buffer.from('unrelated'), ['sha256'])] }), { id: 2, result: { kind: 'artifacts' } });
      const reply = await worker.run({ kind: 'verify', bundles: [good, denied, v02, wrongKey] });
      assert.ok('result' in reply, JSON.stringify(reply));
      const outcomes = reply.result.outcomes ?? [];
      assert.equal(outcomes.length, 4, 'each bundle names artifact 0');
      const [ok, deny, old, wrong] = outcomes;
      assert.deepEqual({ artifact: ok?.artifact, ok: ok?.ok, findings: ok?.findings }, { artifact: 0, ok: true, findings: [] });
      assert.equal(deny?.ok, false);
      assert.deepEqual(deny?.findings.map((f) => f.code), ['DEPENDENCY_DENIED']);
      assert.equal(old?.predicateType, 'https://slsa.dev/provenance/v0.2');
      assert.ok(!old?.findings.some((f) => f.code === 'STATEMENT_INVALID' || f.code === 'INTERNAL'), JSON.stringify(old?.findings));
      assert.equal(wrong?.ok, false);
      assert.ok(wrong?.findings.some((f) => f.code === 'SIGNATURE_INVALID' || f.code === 'KEY_UNTRUSTED'), JSON.stringify(wrong?.findings));

      // The next batch trusts the other key: its setup replaces the engine, nothing of the first remains.
      await worker.run({ kind: 'setup', setup: { ...setup, trust: { publicKeys: [other.publicKeyPem] } } });
      await worker.run({ kind: 'artifacts', digests: [ARTIFACT_DIGEST] });
      const next = await worker.run({ kind: 'verify', bundles: [good, wrongKey] });
      assert.ok('result' in next, JSON.stringify(next));
      assert.deepEqual(next.result.outcomes?.map((o) => o.ok), [false, true]);
    } finally {
      await worker.close();
    }
  });
});
