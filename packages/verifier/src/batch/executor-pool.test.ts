import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { digestBytes } from '@provenant/core';
import { testKey } from '../testing/fixtures.ts';
import { type BatchJob, type BatchJobResult, createBatchEngine } from './batch-engine.ts';
import type { ThreadExecutor, WorkerJob } from './batch-workers.ts';
import { ExecutorPool } from './executor-pool.ts';

const setup = { trust: { publicKeys: [testKey().publicKeyPem] }, policy: {}, now: Date.now() };

/** A stand-in worker thread: ready at once, accepts its setup, and fails every job after it. */
function failingWorker(log: WorkerJob[]): ThreadExecutor {
  const worker = {
    lanes: 2,
    local: false,
    ready: Promise.resolve(),
    setup: undefined,
    ref() {},
    unref() {},
    async run(job: WorkerJob) {
      log.push(job);
      if (job.kind === 'setup') return { kind: 'setup' };
      throw new Error('the worker thread died');
    },
  };
  return worker as unknown as ThreadExecutor;
}

describe('ExecutorPool', () => {
  let dir: string;
  const files: { artifact: number; path: string }[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-pool-'));
    for (let i = 0; i < 200; i++) {
      const path = join(dir, `f${i}`);
      await writeFile(path, `file ${i}\n`);
      files.push({ artifact: i, path });
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a worker that fails a job is dropped: its job and the rest run on the main thread, none lost or done twice', async () => {
    const log: WorkerJob[] = [];
    const pool = new ExecutorPool(createBatchEngine(setup), [failingWorker(log)], setup);
    const results = await pool.run(files, (items): BatchJob => ({ kind: 'hash', items, algorithms: ['sha256'] }));
    const hashed = results.flatMap((r: BatchJobResult) => (r.kind === 'hash' ? r.hashed : []));
    assert.deepEqual(
      hashed.map((h) => h.artifact).sort((a, b) => a - b),
      files.map((f) => f.artifact),
    );
    assert.equal(hashed[7]?.digest?.sha256, digestBytes(Buffer.from(`file ${hashed[7]?.artifact}\n`), ['sha256']).sha256);
    assert.equal(log[0]?.kind, 'setup', "the batch's setup goes to a worker before any of its jobs");
    assert.ok(log.some((job) => job.kind === 'hash'), 'the worker was given work, and failed it');
    assert.equal(pool.size, 1, 'only the main thread is left');
    pool.end();
  });
});
