import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ProvenantError } from '@provenant/core/verification';
import type { BatchJob, BatchJobResult, BatchSetup } from './batch-engine.ts';

// Worker threads for batch verification, apart from the verification code: this module loads
// nothing heavy, so that a caller can start the workers first and let them load the verifier
// (~0.1–0.2 s here) while it does its own start-up — `provenant verify --batch` starts them
// before it reads the policy and lists the artifacts.

/** Worker threads that verifyBatch runs batches on (`workers`), kept between batches until closed. */
export interface BatchWorkers {
  /** Workers that can take work (one that failed is stopped and no longer counted). */
  readonly size: number;
  /** Settles when every worker has loaded the verifier (or failed to), e.g. to warm up before serving. */
  readonly ready: Promise<void>;
  /** Stops the workers. Idle workers keep no process alive, closed or not. */
  close(): Promise<void>;
}

/**
 * Starts `threads - 1` worker threads (default: one per core, the main thread being the other one),
 * for verifyBatch's `workers`. Each batch sends them its own trust, policy and time before any of
 * its work, and a set runs one batch at a time; a worker that fails is stopped.
 */
export function startBatchWorkers(options: { threads?: number; compileCache?: boolean } = {}): BatchWorkers {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  return new WorkerSet(threads - 1, options.compileCache === true);
}

/** A message to a worker: a batch's setup (its engine is rebuilt from it), or a job of that batch. */
export type WorkerJob = BatchJob | { kind: 'setup'; setup: BatchSetup };
export type WorkerJobResult = BatchJobResult | { kind: 'setup' };

/** The workers behind a BatchWorkers handle. */
export class WorkerSet implements BatchWorkers {
  readonly #workers: ThreadExecutor[];
  #queue: Promise<void> = Promise.resolve();

  constructor(count: number, compileCache: boolean) {
    this.#workers = Array.from({ length: Math.max(0, count) }, () => new ThreadExecutor(compileCache));
  }

  /** A handle from startBatchWorkers, and not something shaped like one. */
  static of(value: BatchWorkers): WorkerSet {
    if (!(value instanceof WorkerSet)) throw new ProvenantError('USAGE', 'verifyBatch: workers must come from startBatchWorkers');
    return value as WorkerSet;
  }

  get size(): number {
    return this.alive().length;
  }

  get ready(): Promise<void> {
    // Whoever waits for the workers keeps the process alive until they are ready.
    for (const w of this.#workers) w.ref();
    return Promise.allSettled(this.#workers.map((w) => w.ready)).then(() => {
      for (const w of this.#workers) w.unref();
    });
  }

  /** The workers that have not failed. */
  alive(): ThreadExecutor[] {
    return this.#workers.filter((w) => !w.failed);
  }

  /** Waits for the batch before to end; the returned function ends this one. One batch at a time: a worker holds one batch's setup. */
  async acquire(): Promise<() => void> {
    let release: () => void = () => {};
    const previous = this.#queue;
    this.#queue = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.close()));
  }
}

/**
 * The process's Node options for a worker, less `--input-type`, when it has that option (a caller
 * run with `node --input-type=module -e`): a worker inherits the options, and its entry is a file,
 * which Node refuses to load under that one. Otherwise undefined: inherited as Node does it (an
 * explicit list must hold only options a worker accepts, which the test runner's do not).
 */
function workerExecArgv(): string[] | undefined {
  if (!process.execArgv.some((arg) => arg === '--input-type' || arg.startsWith('--input-type='))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i]!;
    if (arg === '--input-type') i++;
    else if (!arg.startsWith('--input-type=')) out.push(arg);
  }
  return out;
}

type Reply = { ready: true } | { id: number; result: WorkerJobResult } | { id: number; error: { code: string; message: string } };

/** One worker thread running batch jobs, in the order they are sent. */
export class ThreadExecutor {
  readonly lanes = 2;
  readonly local = false;
  /** Settles when the worker has loaded the verifier and can take jobs. */
  readonly ready: Promise<void>;
  /** The setup the worker was last sent: a batch sends its own before its first job. */
  setup: BatchSetup | undefined;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: WorkerJobResult) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #refs = 0;
  #failure: Error | undefined;

  constructor(compileCache: boolean) {
    // Source (.ts under type stripping, as in tests) or built (.js, bundled into one file by
    // scripts/bundle-batch-worker.ts): the worker's entry sits at the package's src or dist root.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    const execArgv = workerExecArgv();
    this.#worker = new Worker(new URL(`../batch-worker.${ext}`, import.meta.url), { workerData: { compileCache }, ...(execArgv === undefined ? {} : { execArgv }) });
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
      else {
        // A worker whose job failed is not trusted with another: stopped, its jobs run elsewhere.
        const err = new ProvenantError('INTERNAL', `batch worker: ${reply.error.code}: ${reply.error.message}`);
        job.reject(err);
        this.#fail(err);
        void this.close();
      }
    });
    this.#worker.on('error', (err) => this.#fail(new ProvenantError('INTERNAL', `batch worker failed: ${err.message}`), failed));
    this.#worker.on('exit', (code) => this.#fail(new ProvenantError('INTERNAL', `batch worker exited (${code})`), failed));
    // Referenced only while a batch waits for it (see ref): an idle one keeps no process alive.
    // After the listeners: adding a 'message' listener references the worker's port again.
    this.#worker.unref();
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** While a batch (or a caller of `ready`) waits for it, the worker keeps the process alive; counted, so that those compose. */
  ref(): void {
    if (this.#refs++ === 0 && !this.failed) this.#worker.ref();
  }

  unref(): void {
    if (this.#refs > 0 && --this.#refs === 0) this.#worker.unref();
  }

  run(job: WorkerJob): Promise<WorkerJobResult> {
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

  #fail(err: Error, failed?: (err: Error) => void): void {
    this.#failure ??= err;
    failed?.(err);
    for (const job of this.#pending.values()) job.reject(err);
    this.#pending.clear();
  }
}
