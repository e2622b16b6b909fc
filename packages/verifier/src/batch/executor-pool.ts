import { Worker } from 'node:worker_threads';
import { ProvenantError } from '@provenant/core';
import { type BatchEngine, type BatchJob, type BatchJobResult, type BatchSetup, createBatchEngine } from './batch-engine.ts';

/** Something that runs batch jobs: the main thread itself, or a worker thread. */
interface Executor {
  /** Jobs kept in flight at once: a worker gets its next job while it works on the current one. */
  readonly lanes: number;
  /** Items per job at most. */
  readonly chunk: number;
  readonly local: boolean;
  /** Settles when the executor can take jobs: at once for the main thread, once a worker has loaded the verifier. */
  readonly ready: Promise<void>;
  run(job: BatchJob): Promise<BatchJobResult>;
  close(): Promise<void>;
}

/**
 * Items per job at most. The main thread reads workers' messages only between its own jobs, so
 * its jobs are short (a worker that is ready, or done with a job, waits no longer than one of
 * them); a worker's are longer, so that messages stay few.
 */
const LOCAL_CHUNK = 8;
const WORKER_CHUNK = 32;
/** Jobs per thread that the remaining items are cut into: the last ones are small, so that threads finish together. */
const CHUNKS_PER_THREAD = 4;

/**
 * The main thread and `threads - 1` worker threads, all running the same BatchEngine. Workers are
 * started at once and take work only when they have loaded the verifier (~0.1–0.3 s): meanwhile
 * the main thread works, and a phase that it finishes alone never waits for them. On N cores N
 * busy threads is the most there is room for.
 */
export class ExecutorPool {
  readonly #executors: Executor[];
  readonly #dead = new Set<Executor>();

  constructor(setup: BatchSetup, threads: number, options: { compileCache?: boolean } = {}) {
    // Workers first: their start is the long pole, and building the main thread's trust (parsing
    // keys, trusted roots) can happen meanwhile.
    const workers = Array.from({ length: Math.max(0, threads - 1) }, () => new ThreadExecutor(setup, options.compileCache === true));
    let local: Executor;
    try {
      local = localExecutor(createBatchEngine(setup));
    } catch (err) {
      // Unusable trust (a bad key, a bad trusted root): no batch, and no worker left running.
      for (const worker of workers) void worker.close();
      throw err;
    }
    this.#executors = [local, ...workers];
  }

  /** Threads that can take work (a worker that failed is dropped and its jobs run elsewhere). */
  get size(): number {
    return this.#executors.length - this.#dead.size;
  }

  /**
   * Runs `items` as jobs made by `toJob`, and returns the results in completion order. Jobs are cut
   * as executors ask for them, smaller as the items run out (guided scheduling). Each executor
   * runs `prepare` before its first job (the main thread at once, a worker when it is ready and
   * there is work left). A worker that fails is dropped and its job goes back in the queue; the
   * main thread's failures are thrown.
   */
  async run<T>(items: readonly T[], toJob: (chunk: T[]) => BatchJob, prepare?: BatchJob): Promise<BatchJobResult[]> {
    let next = 0;
    const retry: BatchJob[] = [];
    const take = (max: number): BatchJob | undefined => {
      if (retry.length > 0) return retry.shift();
      const left = items.length - next;
      if (left <= 0) return undefined;
      const size = Math.min(max, Math.ceil(left / (this.size * CHUNKS_PER_THREAD)));
      next += size;
      return toJob(items.slice(next - size, next));
    };
    const pending = () => retry.length > 0 || next < items.length;
    const results: BatchJobResult[] = [];
    const working: Promise<void>[] = [];

    const work = async (executor: Executor): Promise<void> => {
      let prepared: Promise<unknown> = Promise.resolve();
      if (prepare !== undefined && executor.local) await executor.run(prepare);
      // A worker's first jobs follow `prepare` at once, without waiting for its reply (a round trip
      // through a busy main thread): it runs messages in order, and refuses jobs after a failed prepare.
      else if (prepare !== undefined) prepared = executor.run(prepare).catch(() => this.#dead.add(executor));
      const lane = async (): Promise<void> => {
        for (let job = take(executor.chunk); job !== undefined; job = this.#dead.has(executor) ? undefined : take(executor.chunk)) {
          try {
            results.push(await executor.run(job));
          } catch (err) {
            if (executor.local) throw err;
            this.#dead.add(executor);
            retry.push(job);
          }
        }
      };
      await Promise.all([prepared, ...Array.from({ length: executor.lanes }, lane)]);
    };

    const [local, ...workers] = this.#executors.filter((e) => !this.#dead.has(e)) as [Executor, ...Executor[]];
    let finished = false;
    for (const worker of workers) {
      // A worker joins when it is ready, if work is left; a run never waits for one that is not.
      worker.ready.then(
        () => {
          if (!finished && pending()) working.push(work(worker));
        },
        () => this.#dead.add(worker),
      );
    }
    try {
      await work(local);
      // Workers finish the jobs they hold; a job a failing worker gave back is done here.
      while (working.length > 0 || pending()) {
        await Promise.all(working.splice(0));
        if (pending()) await work(local);
      }
    } finally {
      finished = true;
    }
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.#executors.map((e) => e.close()));
  }
}

function localExecutor(engine: BatchEngine): Executor {
  return {
    lanes: 1,
    chunk: LOCAL_CHUNK,
    local: true,
    ready: Promise.resolve(),
    async run(job) {
      // Give the event loop a turn between jobs, so workers' replies are taken and their next job sent.
      await new Promise((resolve) => setImmediate(resolve));
      return engine.run(job);
    },
    async close() {},
  };
}

type Reply = { ready: true } | { id: number; result: BatchJobResult } | { id: number; error: { code: string; message: string } };

class ThreadExecutor implements Executor {
  readonly lanes = 2;
  readonly chunk = WORKER_CHUNK;
  readonly local = false;
  readonly ready: Promise<void>;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: BatchJobResult) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #failure: Error | undefined;

  constructor(setup: BatchSetup, compileCache: boolean) {
    // Source (.ts under type stripping, as in tests) or built (.js, bundled into one file by
    // scripts/bundle-batch-worker.ts): the worker's entry sits at the package's src or dist root.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    this.#worker = new Worker(new URL(`../batch-worker.${ext}`, import.meta.url), { workerData: { setup, compileCache } });
    let started: () => void = () => {};
    let failed: (err: Error) => void = () => {};
    this.ready = new Promise((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    // Nobody may be waiting for it (the work ran out first): a failure to start is not unhandled.
    this.ready.catch(() => {});
    this.#worker.on('message', (reply: Reply) => {
      if ('ready' in reply) return started();
      const job = this.#pending.get(reply.id);
      if (!job) return;
      this.#pending.delete(reply.id);
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(new ProvenantError('INTERNAL', `batch worker: ${reply.error.code}: ${reply.error.message}`));
    });
    const fail = (err: Error) => {
      this.#failure ??= err;
      failed(err);
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
    // Not awaited: the batch's results are in, and the worker holds nothing its caller needs.
    // Unreferenced, it keeps no process alive while it exits; waiting took 3–20 ms per batch.
    this.#worker.unref();
    this.#worker.terminate().catch(() => {});
  }
}
