import type { BatchEngine, BatchJob, BatchJobResult, BatchSetup } from './batch-engine.ts';
import type { ThreadExecutor, WorkerJob, WorkerJobResult } from './batch-workers.ts';

/** Something that runs batch jobs: the main thread itself, or a worker thread. */
interface Executor {
  /** Jobs kept in flight at once: a worker gets its next job while it works on the current one. */
  readonly lanes: number;
  readonly local: boolean;
  /** Settles when the executor can take jobs: at once for the main thread, once a worker has loaded the verifier. */
  readonly ready: Promise<void>;
  run(job: WorkerJob): Promise<WorkerJobResult>;
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
 * One batch on the main thread and the given worker threads, all running the same BatchEngine
 * code: the main thread with `engine`, each worker with one it builds from `setup`, sent before
 * the batch's first job to it. Workers take work only once they have loaded the verifier
 * (~0.1–0.3 s after they were started): meanwhile the main thread works, and a phase that it
 * finishes alone never waits for them. On N cores N busy threads is the most there is room for.
 * `end()` lets the workers go (idle, unreferenced); stopping them is their owner's business.
 */
export class ExecutorPool {
  readonly #executors: Executor[];
  readonly #workers: readonly ThreadExecutor[];
  readonly #setup: BatchSetup;
  readonly #dead = new Set<Executor>();

  constructor(engine: BatchEngine, workers: readonly ThreadExecutor[], setup: BatchSetup) {
    this.#setup = setup;
    this.#workers = workers;
    for (const worker of workers) worker.ref();
    this.#executors = [localExecutor(engine), ...workers];
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
      const prepared: Promise<unknown>[] = [];
      if (prepare !== undefined && executor.local) await executor.run(prepare);
      else if (!executor.local) {
        // A worker's first jobs follow its setup and `prepare` at once, without waiting for its
        // replies (a round trip through a busy main thread): it runs messages in order, and one
        // that fails a setup or a prepare fails every job after it (and is stopped).
        const worker = executor as ThreadExecutor;
        if (worker.setup !== this.#setup) {
          worker.setup = this.#setup;
          prepared.push(worker.run({ kind: 'setup', setup: this.#setup }).catch(() => this.#dead.add(executor)));
        }
        if (prepare !== undefined) prepared.push(executor.run(prepare).catch(() => this.#dead.add(executor)));
      }
      const lane = async (): Promise<void> => {
        const chunk = executor.local ? LOCAL_CHUNK : WORKER_CHUNK;
        for (let job = take(chunk); job !== undefined; job = this.#dead.has(executor) ? undefined : take(chunk)) {
          try {
            results.push((await executor.run(job)) as BatchJobResult);
          } catch (err) {
            if (executor.local) throw err;
            this.#dead.add(executor);
            retry.push(job);
          }
        }
      };
      await Promise.all([...prepared, ...Array.from({ length: executor.lanes }, lane)]);
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

  /** The batch is over: its workers go idle, and keep no process alive. */
  end(): void {
    for (const worker of this.#workers) worker.unref();
  }
}

function localExecutor(engine: BatchEngine): Executor {
  return {
    lanes: 1,
    local: true,
    ready: Promise.resolve(),
    async run(job) {
      // Give the event loop a turn between jobs, so workers' replies are taken and their next job sent.
      await new Promise((resolve) => setImmediate(resolve));
      if (job.kind === 'setup') throw new Error('the main thread is set up with its engine');
      return engine.run(job);
    },
  };
}
