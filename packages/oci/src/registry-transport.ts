import { ProvenantError, isProvenantError } from '@provenant/core/verification';
import type { RegistryCredentials } from './docker-config.ts';
import { DOCKER_HUB } from './image-reference.ts';

/** How a registry is reached. */
export interface RegistryOptions {
  /** Credentials to use; default: whatever the Docker config holds for the registry (see dockerCredentials). */
  credentials?: RegistryCredentials;
  /** Plain HTTP to a registry that is not on loopback (loopback is always plain HTTP). Default false. */
  allowInsecure?: boolean;
  /** Longest wait for a response or the next chunk of one: an idle timer, not a deadline. Default 60 s. */
  timeoutMs?: number;
  /** The fetch implementation; default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Called after each HTTP exchange (counting round trips; never given headers or bodies). */
  onExchange?: (exchange: RegistryExchange) => void;
}

/** One HTTP exchange with a registry or its token server, for accounting. */
export interface RegistryExchange {
  method: string;
  url: string;
  status: number;
  ms: number;
}

/** What a registry answered, body read in full (capped). */
export interface RegistryResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Refuse bodies larger than this (FILE_TOO_LARGE). */
  maxBytes: number;
  /** The actions the request needs (token scope), default `pull`. */
  actions?: 'pull' | 'pull,push' | 'delete';
}

export const DEFAULT_REGISTRY_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 5;
const MAX_TOKEN_BYTES = 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * HTTP to one repository of a registry: scheme choice (HTTPS unless loopback or allowed), the
 * Docker registry auth flow (Basic, or Bearer tokens from the realm a 401 names, with or without
 * credentials), redirects followed by hand so credentials never leave the registry's origin, an
 * idle timeout, and size caps. Tokens are kept for this transport's life only — one command.
 */
export class RegistryTransport {
  readonly registry: string;
  readonly repository: string;
  readonly origin: string;
  readonly #options: RegistryOptions;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  // Authorization header per token scope (or 'basic').
  readonly #authorization = new Map<string, string>();
  #lastScope = '';

  constructor(registry: string, repository: string, options: RegistryOptions = {}) {
    this.registry = registry;
    this.repository = repository;
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
    const host = registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
    this.origin = `${isLoopback(host) || options.allowInsecure === true ? 'http' : 'https'}://${host}`;
  }

  /** A request to `/v2/<repository>/<path>`; answers every status but 401 to the caller. */
  request(path: string, options: RequestOptions): Promise<RegistryResponse> {
    return this.requestUrl(`${this.origin}/v2/${this.repository}/${path}`, options);
  }

  /** A request to a URL the registry gave (an upload Location), resolved against its origin. */
  async requestUrl(target: string, options: RequestOptions): Promise<RegistryResponse> {
    const url = this.#checkedUrl(new URL(target, this.origin).href, 'URL').href;
    const scope = `repository:${this.repository}:${options.actions ?? 'pull'}`;
    let response = await this.#send(url, options, this.#authorization.get(scope) ?? this.#authorization.get('basic'));
    if (response.status !== 401) return response;
    const authorization = await this.#authorize(response.headers.get('www-authenticate') ?? '', scope);
    response = await this.#send(url, options, authorization);
    if (response.status === 401 || response.status === 403) throw this.#authFailure(response.status);
    return response;
  }

  /** Fails with REGISTRY_FAILED (or REGISTRY_AUTH_FAILED for 401/403) naming what was asked. */
  fail(what: string, response: RegistryResponse): never {
    if (response.status === 401 || response.status === 403) throw this.#authFailure(response.status);
    throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: ${what}: HTTP ${response.status}${errorDetail(response.body)}`);
  }

  #authFailure(status: number): ProvenantError {
    const who = this.#options.credentials === undefined ? 'anonymously (no credentials in the Docker config for it)' : 'with the configured credentials';
    return new ProvenantError('REGISTRY_AUTH_FAILED', `registry ${this.registry}: access to ${this.repository} denied ${who}: HTTP ${status}`);
  }

  async #authorize(challenge: string, scope: string): Promise<string> {
    const parsed = parseChallenge(challenge);
    const creds = this.#options.credentials;
    if (parsed?.scheme === 'basic') {
      if (creds === undefined) throw this.#authFailure(401);
      const header = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      this.#authorization.set('basic', header);
      return header;
    }
    if (parsed?.scheme !== 'bearer' || parsed.params.realm === undefined) {
      throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: answered 401 with an auth challenge provenant cannot use`);
    }
    // The challenge's scope is what this request needs; a registry may widen or omit it.
    const wanted = parsed.params.scope ?? scope;
    const realm = this.#checkedUrl(parsed.params.realm, 'token realm');
    if (parsed.params.service !== undefined) realm.searchParams.set('service', parsed.params.service);
    for (const s of wanted.split(' ')) realm.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (creds !== undefined) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    const response = await this.#exchange(realm.href, { method: 'GET', headers, maxBytes: MAX_TOKEN_BYTES });
    if (response.status === 401 || response.status === 403) throw this.#authFailure(response.status);
    if (response.status !== 200) throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: token server answered HTTP ${response.status}`);
    let token: unknown;
    try {
      const json = JSON.parse(response.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: token server answered without a token`);
    const header = `Bearer ${token}`;
    this.#authorization.set(scope, header);
    this.#lastScope = scope;
    return header;
  }

  /** Sends with redirects followed by hand; the Authorization header goes to the registry's origin only. */
  async #send(url: string, options: RequestOptions, authorization: string | undefined): Promise<RegistryResponse> {
    let current = url;
    let method = options.method ?? 'GET';
    let body = options.body;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': 'provenant', ...options.headers };
      if (authorization !== undefined && new URL(current).origin === this.origin) headers.authorization = authorization;
      const response = await this.#exchange(current, { method, headers, body, maxBytes: options.maxBytes });
      if (!REDIRECTS.has(response.status)) return response;
      if (hop >= MAX_REDIRECTS) throw new ProvenantError('TOO_MANY_REDIRECTS', `registry ${this.registry}: more than ${MAX_REDIRECTS} redirects`);
      const location = response.headers.get('location');
      if (location === null) throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: HTTP ${response.status} without a Location`);
      current = this.#checkedUrl(new URL(location, current).href, 'redirect').href;
      if (response.status === 303 && method !== 'HEAD') {
        method = 'GET';
        body = undefined;
      }
    }
  }

  #checkedUrl(text: string, what: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: ${what} is not a URL`);
    }
    if (url.protocol === 'https:') return url;
    if (url.protocol === 'http:' && (isLoopback(url.hostname) || this.#options.allowInsecure === true)) return url;
    throw new ProvenantError('REGISTRY_INSECURE', `registry ${this.registry}: ${what} ${url.origin} is not HTTPS (use --allow-insecure-registry to allow plain HTTP)`);
  }

  /** One HTTP exchange with an idle timeout and a size cap on the body. */
  async #exchange(url: string, init: { method: string; headers: Record<string, string>; body?: Uint8Array | string; maxBytes: number }): Promise<RegistryResponse> {
    const controller = new AbortController();
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, this.#timeoutMs);
    };
    const started = performance.now();
    const what = `${init.method} ${redact(url)}`;
    arm();
    try {
      const response = await this.#fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body as RequestInit['body'],
        redirect: 'manual',
        signal: controller.signal,
      });
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (init.method !== 'HEAD' && declared > init.maxBytes) {
        controller.abort();
        throw new ProvenantError('FILE_TOO_LARGE', `registry ${this.registry}: ${what} is ${declared} bytes, over the ${init.maxBytes}-byte limit`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      if (response.body !== null && init.method !== 'HEAD') {
        for await (const chunk of response.body) {
          arm();
          size += chunk.byteLength;
          if (size > init.maxBytes) {
            controller.abort();
            throw new ProvenantError('FILE_TOO_LARGE', `registry ${this.registry}: ${what} is over the ${init.maxBytes}-byte limit`);
          }
          chunks.push(Buffer.from(chunk));
        }
      }
      this.#options.onExchange?.({ method: init.method, url: redact(url), status: response.status, ms: performance.now() - started });
      return { status: response.status, headers: response.headers, body: Buffer.concat(chunks) };
    } catch (err) {
      if (isProvenantError(err)) throw err;
      if (stalled) throw new ProvenantError('DOWNLOAD_STALLED', `registry ${this.registry}: ${what}: no data for ${this.#timeoutMs} ms (--registry-timeout)`, { cause: err });
      // fetch says only "fetch failed"; its cause names the reason (ECONNREFUSED, bad port, ...).
      const inner = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = inner?.code ?? inner?.message ?? (err as Error).message;
      throw new ProvenantError('REGISTRY_FAILED', `registry ${this.registry}: ${what}: ${cause}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The credentials in use (never shown). */
  get credentials(): RegistryCredentials | undefined {
    return this.#options.credentials;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** The scope of the last token obtained (tests check push and pull scopes). */
  get lastScope(): string {
    return this.#lastScope;
  }
}

/** RFC 7235 challenge: scheme and quoted parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | undefined {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

// Query strings can carry upload state; they are left out of anything shown or reported.
function redact(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

// Registries answer errors as {"errors":[{"code","message"}]}: show the first code, nothing else.
function errorDetail(body: Buffer): string {
  try {
    const code = (JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown }[] }).errors?.[0]?.code;
    return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? ` (${code})` : '';
  } catch {
    return '';
  }
}
