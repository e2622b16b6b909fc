import { ProvenantError, isProvenantError } from '@provenant/core';
import { displayUrl, urlProblem } from './url-policy.ts';

/** How one download runs. */
export interface DownloadOptions {
  /** The fetch implementation (globalThis.fetch, or a test double). */
  fetch: typeof globalThis.fetch;
  /** Longest wait for the response or the next chunk: an idle timer, not a deadline. */
  timeoutMs: number;
  /** More bytes than this is FILE_TOO_LARGE, by Content-Length before any is read, or when reached. */
  maxBytes: number;
  maxRedirects: number;
  /** Plain http to hosts that are not loopback, initially and at every redirect. */
  allowInsecure: boolean;
  /** Aborts the download (SIGINT): DOWNLOAD_FAILED, "interrupted". */
  signal?: AbortSignal;
  /** What is downloaded, for messages: `artifact`, `attestation`. */
  what: string;
  /** Answer 404 and 410 with `{ kind: 'missing' }` instead of failing (a sidecar that is not there). */
  missingIsResult?: boolean;
}

/** A finished download, or a resource the server says does not exist. */
export type DownloadOutcome = { kind: 'done'; url: URL; bytes: number } | { kind: 'missing'; url: URL; status: number };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url` and hands each chunk of the body to `onChunk` (awaited, so a slow disk slows the
 * download rather than buffering it). Redirects are followed here, not by fetch, so that each hop
 * is counted and checked against the URL policy. Fails with DOWNLOAD_FAILED (network error, HTTP
 * error status, a body shorter or longer than its Content-Length, a refused redirect),
 * DOWNLOAD_STALLED (no response or no next chunk within `timeoutMs`), TOO_MANY_REDIRECTS or
 * FILE_TOO_LARGE; an error `onChunk` throws is passed on.
 */
export async function download(url: URL, options: DownloadOptions, onChunk: (chunk: Uint8Array) => Promise<void> | void): Promise<DownloadOutcome> {
  const watchdog = new Watchdog(options.timeoutMs, options.signal);
  let current = url;
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await watchdog.wait(
        options.fetch(current, {
          redirect: 'manual',
          signal: watchdog.controller.signal,
          // The bytes are hashed exactly as served: ask for no content coding (fetch would decode it).
          headers: { 'accept-encoding': 'identity', 'user-agent': 'provenant' },
        }),
      );
      if (REDIRECT_STATUSES.has(response.status)) {
        await discard(response);
        current = nextHop(current, response, redirects, options);
        continue;
      }
      if (options.missingIsResult && (response.status === 404 || response.status === 410)) {
        await discard(response);
        return { kind: 'missing', url: current, status: response.status };
      }
      if (response.status !== 200) {
        await discard(response);
        throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(current)}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      const bytes = await readBody(response, current, watchdog, options, onChunk);
      return { kind: 'done', url: current, bytes };
    }
  } catch (err) {
    watchdog.controller.abort();
    if (watchdog.stalled) {
      throw new ProvenantError('DOWNLOAD_STALLED', `${options.what} ${displayUrl(current)}: no data for ${options.timeoutMs} ms (--timeout)`, { cause: err });
    }
    if (options.signal?.aborted) throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(current)}: interrupted`, { cause: err });
    if (isProvenantError(err)) throw err;
    throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(current)}: ${reason(err)}`, { cause: err });
  } finally {
    watchdog.dispose();
  }
}

function nextHop(from: URL, response: Response, redirects: number, options: DownloadOptions): URL {
  const location = response.headers.get('location');
  if (location === null) throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(from)}: HTTP ${response.status} without a Location`);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(from)}: HTTP ${response.status} to an invalid Location`);
  }
  if (redirects >= options.maxRedirects) {
    throw new ProvenantError('TOO_MANY_REDIRECTS', `${options.what} ${displayUrl(from)}: more than ${options.maxRedirects} redirects (--max-redirects)`);
  }
  const problem = urlProblem(next, options.allowInsecure);
  if (problem !== undefined) throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(from)} redirects to ${displayUrl(next)}: ${problem}`);
  return next;
}

async function readBody(response: Response, url: URL, watchdog: Watchdog, options: DownloadOptions, onChunk: (chunk: Uint8Array) => Promise<void> | void): Promise<number> {
  const declared = contentLength(response);
  // Content-Length counts the coded bytes; with a content coding fetch hands over decoded ones.
  const coded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  if (declared !== undefined && !coded && declared > options.maxBytes) {
    await discard(response);
    throw tooLarge(url, options, declared);
  }
  if (response.body === null) return 0;
  const reader = response.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await watchdog.wait(reader.read());
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) throw tooLarge(url, options, undefined);
      // Outside watchdog.wait: the idle timer measures the network, and waiting for the disk is no stall.
      await onChunk(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    if (isProvenantError(err) || watchdog.stalled || options.signal?.aborted) throw err;
    const of = declared === undefined || coded ? '' : ` of ${declared}`;
    throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(url)}: the transfer broke off after ${total}${of} bytes (${reason(err)})`, { cause: err });
  }
  if (declared !== undefined && !coded && total !== declared) {
    throw new ProvenantError('DOWNLOAD_FAILED', `${options.what} ${displayUrl(url)}: truncated, ${total} of ${declared} bytes (Content-Length)`);
  }
  return total;
}

function tooLarge(url: URL, options: DownloadOptions, declared: number | undefined): ProvenantError {
  const size = declared === undefined ? `has more than ${options.maxBytes} bytes` : `is ${declared} bytes, over the limit of ${options.maxBytes}`;
  return new ProvenantError('FILE_TOO_LARGE', `${options.what} ${displayUrl(url)} ${size}`);
}

function contentLength(response: Response): number | undefined {
  const text = response.headers.get('content-length');
  return text !== null && /^[0-9]{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Drops a body that is not wanted, so the connection is released. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return detail === undefined ? message : `${message} (${detail})`;
}

/**
 * The idle timer and the caller's abort signal, as one promise every wait races against: a fetch
 * implementation that ignores its signal still cannot hang the download.
 */
class Watchdog {
  readonly controller = new AbortController();
  stalled = false;
  readonly #ms: number;
  readonly #external: AbortSignal | undefined;
  readonly #tripped: Promise<never>;
  #reject: (err: Error) => void = () => {};
  #timer: NodeJS.Timeout | undefined;
  readonly #onAbort = () => this.#trip(new Error('interrupted'));

  constructor(ms: number, external: AbortSignal | undefined) {
    this.#ms = ms;
    this.#external = external;
    this.#tripped = new Promise<never>((_, reject) => {
      this.#reject = reject;
    });
    this.#tripped.catch(() => {});
    if (external?.aborted) this.#onAbort();
    else external?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Waits for `promise` with the idle timer running. */
  async wait<T>(promise: Promise<T>): Promise<T> {
    this.pause();
    this.#timer = setTimeout(() => {
      this.stalled = true;
      this.#trip(new Error('stalled'));
    }, this.#ms);
    try {
      return await Promise.race([promise, this.#tripped]);
    } finally {
      this.pause();
    }
  }

  pause(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  dispose(): void {
    this.pause();
    this.#external?.removeEventListener('abort', this.#onAbort);
  }

  #trip(err: Error): void {
    this.controller.abort(err);
    this.#reject(err);
  }
}
