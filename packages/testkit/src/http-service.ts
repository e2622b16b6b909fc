import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a route handler returns: the same shape as @sigstore/mock's HandlerFnResult. */
export interface RouteResult {
  statusCode: number;
  response: string | ArrayBufferView;
  contentType?: string;
}

/** A POST route: receives the request body as text (all Sigstore write APIs are JSON). */
export type RouteHandler = (body: string) => Promise<RouteResult>;

export interface RequestRecord {
  service: string;
  method: string;
  path: string;
  status: number;
}

/** Requests larger than this are refused (413); the services only ever receive small JSON documents. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function jsonError(statusCode: number, message: string): RouteResult {
  return { statusCode, response: JSON.stringify({ code: statusCode, message }), contentType: 'application/json' };
}

/**
 * A real node:http server on 127.0.0.1 with an OS-chosen port, serving a few POST routes.
 * `unavailable()` is consulted per request: when it returns a message the server answers 503
 * (JSON `{code, message}`, which @sigstore/sign puts into its error message).
 */
export class HttpService {
  readonly name: string;
  readonly #server: Server;
  readonly #routes = new Map<string, RouteHandler>();
  readonly #unavailable: () => string | undefined;
  readonly #log: RequestRecord[];
  #url = '';
  #closed = false;

  constructor(name: string, unavailable: () => string | undefined, log: RequestRecord[]) {
    this.name = name;
    this.#unavailable = unavailable;
    this.#log = log;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        this.#send(req, res, jsonError(500, `testkit ${this.name}: ${(err as Error).message}`));
      });
    });
  }

  get url(): string {
    return this.#url;
  }

  async listen(): Promise<string> {
    this.#url = `http://127.0.0.1:${await listenOnLoopback(this.#server)}`;
    return this.#url;
  }

  /** Routes may be registered after listen(): Rekor's checkpoint origin depends on its own URL. */
  route(path: string, handler: RouteHandler): void {
    this.#routes.set(path, handler);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve, reject) => {
      this.#server.close((err) => (err ? reject(err) : resolve()));
    });
    // Keep-alive sockets held by the client's agent would otherwise keep the server (and the
    // test process) alive until their idle timeout.
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const handler = this.#routes.get(path);
    if (!handler) {
      req.resume();
      this.#send(req, res, jsonError(404, `testkit ${this.name}: no route for ${req.method} ${path}`));
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      this.#send(req, res, jsonError(405, `testkit ${this.name}: ${path} only accepts POST`));
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      this.#send(req, res, jsonError(413, `testkit ${this.name}: request body too large`));
      return;
    }
    const down = this.#unavailable();
    if (down !== undefined) {
      this.#send(req, res, jsonError(503, down));
      return;
    }
    this.#send(req, res, await handler(body));
  }

  #send(req: IncomingMessage, res: ServerResponse, result: RouteResult): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    this.#log.push({ service: this.name, method: req.method ?? '', path, status: result.statusCode });
    const body =
      typeof result.response === 'string'
        ? Buffer.from(result.response, 'utf8')
        : Buffer.from(result.response.buffer, result.response.byteOffset, result.response.byteLength);
    res.writeHead(result.statusCode, {
      'Content-Type': result.contentType ?? 'text/plain; charset=utf-8',
      'Content-Length': body.byteLength,
    });
    res.end(body);
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.byteLength;
    // Keep draining an oversized body (so the 413 can be sent) but stop buffering it.
    if (size <= MAX_BODY_BYTES) chunks.push(buf);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

/** Listens on 127.0.0.1 at a port the OS chooses; resolves with the port, rejects on a listen error. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
