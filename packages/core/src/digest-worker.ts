// Runs in a worker thread: hashes one file per message so the main thread stays free (module
// loading, collectors, signing) while a large artifact is hashed on the other core.
import { parentPort } from 'node:worker_threads';
import { digestFile } from './digest.ts';
import type { SubjectAlgorithm } from './digest.ts';

interface Job {
  id: number;
  path: string;
  algorithms: SubjectAlgorithm[];
}

parentPort?.on('message', async (job: Job) => {
  try {
    let last = 0;
    const result = await digestFile(job.path, job.algorithms, (done) => {
      // Throttled: one message per 64 MiB is plenty for a progress line.
      if (done - last >= 64 * 1024 * 1024) {
        last = done;
        parentPort?.postMessage({ id: job.id, progress: done });
      }
    });
    parentPort?.postMessage({ id: job.id, result });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    parentPort?.postMessage({ id: job.id, error: { code: e.code, message: e.message } });
  }
});
