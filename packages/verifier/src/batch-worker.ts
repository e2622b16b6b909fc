// The entry of a batch verification worker thread: builds a BatchEngine from workerData and runs
// the jobs the pool posts, in order. Loaded as .ts from source (tests, type stripping) or, from
// dist, as one bundled file (scripts/bundle-batch-worker.ts), whichever the pool was loaded as.
import module from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

// Before anything heavy is imported, so that the compile cache covers the verifier's modules.
if ((workerData as { compileCache?: boolean }).compileCache === true) module.enableCompileCache?.();
const { createBatchEngine } = await import('./batch/batch-engine.ts');
const engine = createBatchEngine((workerData as { setup: Parameters<typeof createBatchEngine>[0] }).setup);
// The pool sends work only from now on: until then the main thread does it.
parentPort!.postMessage({ ready: true });

parentPort!.on('message', async ({ id, job }: { id: number; job: Parameters<typeof engine.run>[0] }) => {
  try {
    parentPort!.postMessage({ id, result: await engine.run(job) });
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    parentPort!.postMessage({ id, error: { code: typeof e.code === 'string' ? e.code : 'INTERNAL', message: String(e.message ?? err) } });
  }
});
