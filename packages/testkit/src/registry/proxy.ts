import { Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { listenOnLoopback } from '../http-service.ts';

/** What the proxy sees of a request when deciding what to do with it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent (`/v2/acme/widget/manifests/latest`). */
  path: string;
  headers: IncomingHttpHeaders;
}

/** A canned answer instead of the upstream's. */
export interface InterceptResponse {
  status: number;
  body?: string;
  /** Default `Content-Type: text/plain; charset=utf-8`. */
  headers?: Record<string, string>;
}

/** `pass` forwards; `stall` accepts the request and never answers (until `stop()`); otherwise answer this. */
export type InterceptDecision = 'pass' | 'stall' | InterceptResponse;

export type Intercept = (req: ProxiedRequest) => InterceptDecision;

export interface ProxyRequestRecord {
  method: string;
  path: string;
  /** The status sent to the client: 0 while pending and for stalled requests, 502 if the upstream failed. */
  status: number;
}

export interface RegistryProxyOptions {
  /** The registry's base URL, e.g. `registry.url` (`http://127.0.0.1:PORT`). */
  upstream: string;
  /** Decides per request; default: pass everything. */
  intercept?: Intercept;
}

export interface RegistryProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** Every request received, in arrival order. */
  readonly requests: readonly ProxyRequestRecord[];
  /** Replaces the intercept for the following requests; undefined passes everything. */
  setIntercept(intercept: Intercept | undefined): void;
  /** Closes the proxy, destroying stalled and in-flight requests. Idempotent. */
  stop(): Promise<void>;
}

/** A registry error body (`{"errors":[{code,message}]}`) as an intercept answer. */
export function registryErrorResponse(status: number, code: string, message = code.toLowerCase().replaceAll('_', ' ')): InterceptResponse {
  return {
    status,
    body: JSON.stringify({ errors: [{ code, message, detail: null }] }),
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** rawHeaders minus hop-by-hop ones, with `map` applied to each value (pairs kept, duplicates and case too). */
function forwardable(raw: string[], skip: (name: string) => boolean, map: (name: string, value: string) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || skip(lower)) continue;
    out.push(name, map(lower, raw[i + 1]!));
  }
  return out;
}

/**
 * A loopback HTTP proxy in front of a registry: forwards each request verbatim (method, path and
 * query, headers including Authorization, streamed bodies both ways), pointing `Location` and
 * `WWW-Authenticate` realms at the upstream back at itself, unless `intercept` answers instead.
 * For tests of registries that fail, stall or need counting.
 */
export async function startRegistryProxy(options: RegistryProxyOptions): Promise<RegistryProxy> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:') throw new RangeError('startRegistryProxy: upstream must be an http:// URL');
  let intercept = options.intercept;
  const requests: ProxyRequestRecord[] = [];
  const agent = new Agent({ keepAlive: true });
  let origin = '';

  const rewrite = (name: string, value: string): string =>
    name === 'location' || name === 'www-authenticate' ? value.replaceAll(upstream.origin, origin) : value;

  const answer = (res: ServerResponse, record: ProxyRequestRecord, reply: InterceptResponse): void => {
    record.status = reply.status;
    const body = Buffer.from(reply.body ?? '', 'utf8');
    // Header names are case-insensitive: the intercept's own spelling replaces the default's.
    const given = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...given, 'content-length': body.byteLength });
    res.end(body);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, record: ProxyRequestRecord): void => {
    const headers = forwardable(req.rawHeaders, (n) => n === 'host', (_, v) => v);
    headers.push('Host', upstream.host);
    const upstreamReq = request(
      { protocol: 'http:', hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (upstreamRes) => {
        record.status = upstreamRes.statusCode ?? 0;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, forwardable(upstreamRes.rawHeaders, () => false, rewrite));
        pipeline(upstreamRes, res).catch(() => res.destroy());
      },
    );
    upstreamReq.on('error', (err) => {
      if (res.headersSent) return void res.destroy();
      answer(res, record, { status: 502, body: `testkit proxy: upstream ${upstream.origin} failed: ${err.message}` });
    });
    pipeline(req, upstreamReq).catch(() => upstreamReq.destroy());
  };

  const server = createServer((req, res) => {
    const record: ProxyRequestRecord = { method: req.method ?? '', path: req.url ?? '/', status: 0 };
    requests.push(record);
    let decision: InterceptDecision;
    try {
      decision = intercept?.({ method: record.method, path: record.path, headers: req.headers }) ?? 'pass';
    } catch (err) {
      decision = { status: 500, body: `testkit proxy: intercept threw: ${(err as Error).message}` };
    }
    if (decision === 'pass') return forward(req, res, record);
    // Read (and drop) the body either way, so the client is never stuck writing it.
    req.resume();
    if (decision === 'stall') return;
    answer(res, record, decision);
  });
  const port = await listenOnLoopback(server);
  origin = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    requests,
    setIntercept(next) {
      intercept = next;
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stalled requests and keep-alive sockets would otherwise hold the server open.
        server.closeAllConnections();
        agent.destroy();
      });
      return stopping;
    },
  };
}
