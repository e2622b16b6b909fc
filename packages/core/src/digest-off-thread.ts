import { Worker } from 'node:worker_threads';
import type { DigestSet, HashProgress, SubjectAlgorithm } from './digest.ts';
import { type ErrorCode, ProvenantError } from './errors.ts';

type Reply =
  | { id: number; progress: number }
  | { id: number; result: { digest: DigestSet; size: number } }
  | { id: number; error: { code?: string; message?: string } };

/**
 * A worker thread that hashes files, one at a time, in the order asked. Use it for large files:
 * starting a worker costs a few tens of milliseconds, which a 100 MiB file repays many times over.
 * Call close() when done, or the worker keeps the process alive.
 */
export class DigestWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: { digest: DigestSet; size: number }) => void; reject: (e: Error) => void; onProgress?: HashProgress }>();
  #nextId = 0;

  constructor() {
    // Source (.ts under type stripping, as in tests) or built (.js) — the worker file sits beside this one.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    this.#worker = new Worker(new URL(`./digest-worker.${ext}`, import.meta.url));
    this.#worker.on('message', (reply: Reply) => {
      const job = this.#pending.get(reply.id);
      if (!job) return;
      if ('progress' in reply) {
        job.onProgress?.(reply.progress);
        return;
      }
      this.#pending.delete(reply.id);
      if ('result' in reply) {
        job.onProgress?.(reply.result.size);
        job.resolve(reply.result);
      } else {
        const code = (reply.error.code ?? 'INTERNAL') as ErrorCode;
        job.reject(new ProvenantError(code, reply.error.message ?? 'hashing failed'));
      }
    });
    this.#worker.on('error', (err) => {
      for (const job of this.#pending.values()) job.reject(new ProvenantError('INTERNAL', `hashing worker failed: ${err.message}`));
      this.#pending.clear();
    });
  }

  /** Hashes a file in the worker with every requested algorithm in one read. */
  digest(path: string, algorithms: readonly SubjectAlgorithm[], onProgress?: HashProgress): Promise<{ digest: DigestSet; size: number }> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, path, algorithms: [...algorithms] });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
