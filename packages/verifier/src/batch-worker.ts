// The entry of a batch verification worker thread: runs the jobs the pool posts, in order, with a
// BatchEngine built from the setup each batch sends first. Loaded as .ts from source (tests, type
// stripping) or, from dist, as one bundled file (scripts/bundle-batch-worker.ts), whichever the
// pool was loaded as.
import module from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchEngine } from './batch/batch-engine.ts';
import type { WorkerJob } from './batch/batch-workers.ts';

// Before anything heavy is imported, so that the compile cache covers the verifier's modules.
if ((workerData as { compileCache?: boolean }).compileCache === true) module.enableCompileCache?.();
const [{ createBatchEngine }, { ProvenantError }] = await Promise.all([import('./batch/batch-engine.ts'), import('@provenant/core/verification')]);
// The pool sends work only from now on: until then the main thread does it.
parentPort!.postMessage({ ready: true });

// The current batch's engine; none before a batch's setup, nor after one that failed, so that no
// job ever runs with another batch's trust or policy.
let engine: BatchEngine | undefined;

parentPort!.on('message', async ({ id, job }: { id: number; job: WorkerJob }) => {
  try {
    if (job.kind === 'setup') {
      engine = undefined;
      engine = createBatchEngine(job.setup);
      parentPort!.postMessage({ id, result: { kind: 'setup' } });
      return;
    }
    if (engine === undefined) throw new ProvenantError('INTERNAL', 'a batch job without a usable setup');
    parentPort!.postMessage({ id, result: await engine.run(job) });
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    parentPort!.postMessage({ id, error: { code: typeof e.code === 'string' ? e.code : 'INTERNAL', message: String(e.message ?? err) } });
  }
});
