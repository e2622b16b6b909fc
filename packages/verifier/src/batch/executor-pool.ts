import { Worker } from 'node:worker_threads';
import { ProvenantError } from '@provenant/core';
import { type BatchEngine, type BatchJob, type BatchJobResult, type BatchSetup, createBatchEngine } from './batch-engine.ts';

/** Something that runs batch jobs: the main thread itself, or a worker thread. */
interface Executor {
  /** Jobs kept in flight at once: a worker gets its next job while it works on the current one. */
  readonly lanes: number;
  readonly local: boolean;
  run(job: BatchJob): Promise<BatchJobResult>;
  close(): Promise<void>;
}

/**
 * The main thread and `threads - 1` worker threads, all running the same BatchEngine. The main
 * thread works too: it verifies from the first millisecond while the workers load the verifier
 * (~0.1–0.2 s each), and on N cores N busy threads is the most there is room for.
 */
export class ExecutorPool {
  readonly #executors: Executor[];
  readonly #dead = new Set<Executor>();

  constructor(setup: BatchSetup, threads: number, options: { compileCache?: boolean } = {}) {
    this.#executors = [localExecutor(createBatchEngine(setup))];
    for (let i = 1; i < threads; i++) this.#executors.push(new ThreadExecutor(setup, options.compileCache === true));
  }

  /** Threads that can take work now (a worker that failed is dropped and its jobs run elsewhere). */
  get size(): number {
    return this.#executors.length - this.#dead.size;
  }

  /**
   * Runs the jobs, each executor pulling the next one whenever a lane is free, and returns the
   * results in completion order. `prepare` runs first on each executor (before its first job). A
   * worker that fails is dropped and its job goes back in the queue; the main thread's failures
   * are thrown.
   */
  async run(jobs: readonly BatchJob[], prepare?: BatchJob): Promise<BatchJobResult[]> {
    const queue = [...jobs];
    const results: BatchJobResult[] = [];
    const live = this.#executors.filter((e) => !this.#dead.has(e));
    await Promise.all(
      live.map(async (executor) => {
        try {
          if (prepare !== undefined) await executor.run(prepare);
        } catch (err) {
          if (executor.local) throw err;
          this.#dead.add(executor);
          return;
        }
        const lane = async (): Promise<void> => {
          while (queue.length > 0 && !this.#dead.has(executor)) {
            const job = queue.shift()!;
            try {
              results.push(await executor.run(job));
            } catch (err) {
              if (executor.local) throw err;
              this.#dead.add(executor);
              queue.push(job);
            }
          }
        };
        await Promise.all(Array.from({ length: executor.lanes }, lane));
      }),
    );
    // Every worker died after the main thread emptied its view of the queue: finish here.
    const local = this.#executors[0]!;
    while (queue.length > 0) results.push(await local.run(queue.shift()!));
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.#executors.map((e) => e.close()));
  }
}

function localExecutor(engine: BatchEngine): Executor {
  return {
    lanes: 1,
    local: true,
    async run(job) {
      // Give the event loop a turn between jobs, so workers' replies are taken and their next job sent.
      await new Promise((resolve) => setImmediate(resolve));
      return engine.run(job);
    },
    async close() {},
  };
}

type Reply = { id: number; result: BatchJobResult } | { id: number; error: { code: string; message: string } };

class ThreadExecutor implements Executor {
  readonly lanes = 2;
  readonly local = false;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: BatchJobResult) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #failure: Error | undefined;

  constructor(setup: BatchSetup, compileCache: boolean) {
    // Source (.ts under type stripping, as in tests) or built (.js): the worker file sits beside this one.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    this.#worker = new Worker(new URL(`./batch-worker.${ext}`, import.meta.url), { workerData: { setup, compileCache } });
    this.#worker.on('message', (reply: Reply) => {
      const job = this.#pending.get(reply.id);
      if (!job) return;
      this.#pending.delete(reply.id);
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(new ProvenantError('INTERNAL', `batch worker: ${reply.error.code}: ${reply.error.message}`));
    });
    const fail = (err: Error) => {
      this.#failure ??= err;
      for (const job of this.#pending.values()) job.reject(err);
      this.#pending.clear();
    };
    this.#worker.on('error', (err) => fail(new ProvenantError('INTERNAL', `batch worker failed: ${err.message}`)));
    this.#worker.on('exit', (code) => fail(new ProvenantError('INTERNAL', `batch worker exited (${code})`)));
  }

  run(job: BatchJob): Promise<BatchJobResult> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.#failure ??= new ProvenantError('INTERNAL', 'batch worker closed');
    await this.#worker.terminate();
  }
}
