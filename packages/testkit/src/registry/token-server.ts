import { execFile } from 'node:child_process';
import { type KeyObject, X509Certificate, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listenOnLoopback } from '../http-service.ts';

/** Lifetime of the bearer tokens the token server issues (`expires_in`). */
export const REGISTRY_TOKEN_LIFETIME_SECONDS = 300;

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** One request the token server answered. */
export interface TokenRequestRecord {
  method: string;
  /** The authenticated user; undefined for an anonymous request (or one refused before that). */
  user: string | undefined;
  /** Requested scopes, e.g. `repository:acme/widget:pull,push`. */
  scopes: string[];
  /** Scopes granted, in the same syntax (only those with at least one action). */
  granted: string[];
  status: number;
}

/** What a registry in `token` mode tells about its token server. */
export interface RegistryTokenService {
  /** The realm the registry sends in `WWW-Authenticate: Bearer realm=...`. */
  readonly realm: string;
  /** The `service` parameter and the tokens' `aud`. */
  readonly service: string;
  /** The tokens' `iss`. */
  readonly issuer: string;
  /** Every request the token server answered, in order. */
  readonly requests: readonly TokenRequestRecord[];
}

export interface TokenServer extends RegistryTokenService {
  /** PEM of the self-signed certificate whose key signs the tokens: the registry's `rootcertbundle`. */
  readonly certificatePath: string;
  close(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

const execFileAsync = promisify(execFile);
const MAX_FORM_BYTES = 64 * 1024;

/** `repository:acme/widget:pull,push`; the name is everything between the first and the last colon. */
function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

function basicCredentials(req: IncomingMessage): RegistryCredentials | undefined {
  const header = req.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size <= MAX_FORM_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** A self-signed P-256 certificate from openssl, so the registry (Go crypto/x509) sees a real X.509 chain. */
async function selfSignedCertificate(dir: string): Promise<{ key: KeyObject; certificate: X509Certificate; path: string }> {
  const keyPath = join(dir, 'token-signing.key');
  const certPath = join(dir, 'token-signing.crt');
  try {
    await execFileAsync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-days', '2',
      '-subj', '/CN=provenant-testkit registry token issuer', '-keyout', keyPath, '-out', certPath,
    ]);
  } catch (err) {
    const e = err as Error & { code?: string; stderr?: string };
    const why = e.code === 'ENOENT' ? 'openssl is not on PATH' : (e.stderr ?? e.message).trim();
    throw new Error(`testkit registry: could not create the token signing certificate: ${why}`);
  }
  const key = createPrivateKey(await readFile(keyPath));
  // The key is only needed in memory; the temporary directory holds the certificate alone.
  await rm(keyPath, { force: true });
  return { key, certificate: new X509Certificate(await readFile(certPath)), path: certPath };
}

/**
 * The Docker registry token flow (distribution's `auth.token`): a node:http server on 127.0.0.1
 * that checks Basic credentials and issues ES256 JWTs carrying the certificate in `x5c`.
 * `GET /token?service=&scope=` answers `{token, access_token, expires_in, issued_at}`;
 * `POST /token` takes the OAuth2 password and refresh-token grants. Anonymous requests get
 * `pull` only with `anonymousPull`, else 401. Wrong credentials are always 401.
 */
export async function startTokenServer(options: {
  dir: string;
  credentials: RegistryCredentials;
  anonymousPull: boolean;
  service: string;
  issuer: string;
}): Promise<TokenServer> {
  const { credentials, anonymousPull, service, issuer } = options;
  const { key, certificate, path: certificatePath } = await selfSignedCertificate(options.dir);
  const x5c = [certificate.raw.toString('base64')];
  const requests: TokenRequestRecord[] = [];
  const refreshTokens = new Map<string, string>();

  const grant = (user: string | undefined, scopes: string[]): Access[] =>
    scopes
      .map(parseScope)
      .filter((a): a is Access => a !== undefined)
      .map((a) => ({ ...a, actions: user !== undefined ? a.actions : a.type === 'repository' ? a.actions.filter((x) => x === 'pull') : [] }))
      .filter((a) => a.actions.length > 0);

  const mint = (user: string | undefined, access: Access[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'JWT', x5c };
    const claims = {
      iss: issuer,
      sub: user ?? '',
      aud: service,
      exp: now + REGISTRY_TOKEN_LIFETIME_SECONDS,
      nbf: now,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access,
    };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    // JWS ES256 wants the raw r||s signature, not DER.
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };

  const send = (res: ServerResponse, record: TokenRequestRecord, status: number, body: unknown): void => {
    record.status = status;
    requests.push(record);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
    if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="provenant-testkit-token"';
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: TokenRequestRecord = { method: req.method ?? '', user: undefined, scopes: [], granted: [], status: 0 };
    if (url.pathname !== '/token') {
      req.resume();
      return send(res, record, 404, { error: 'not_found' });
    }
    if (req.method === 'GET') {
      record.scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
      const given = basicCredentials(req);
      if (given === undefined ? !anonymousPull : given.username !== credentials.username || given.password !== credentials.password) {
        return send(res, record, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      }
      record.user = given?.username;
      const access = grant(record.user, record.scopes);
      record.granted = access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`);
      const token = mint(record.user, access);
      const body: Record<string, unknown> = {
        token,
        access_token: token,
        expires_in: REGISTRY_TOKEN_LIFETIME_SECONDS,
        issued_at: new Date().toISOString(),
      };
      if (record.user !== undefined && url.searchParams.get('offline_token') === 'true') {
        const refresh = randomBytes(18).toString('base64url');
        refreshTokens.set(refresh, record.user);
        body['refresh_token'] = refresh;
      }
      return send(res, record, 200, body);
    }
    if (req.method === 'POST') {
      const form = await readForm(req);
      if (form === undefined) return send(res, record, 413, { error: 'invalid_request' });
      record.scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      let user: string | undefined;
      switch (form.get('grant_type')) {
        case 'password':
          if (form.get('username') === credentials.username && form.get('password') === credentials.password) user = credentials.username;
          break;
        case 'refresh_token':
          user = refreshTokens.get(form.get('refresh_token') ?? '');
          break;
        default:
          return send(res, record, 400, { error: 'unsupported_grant_type' });
      }
      if (user === undefined) return send(res, record, 401, { error: 'invalid_grant' });
      record.user = user;
      const access = grant(user, record.scopes);
      record.granted = access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`);
      const body: Record<string, unknown> = {
        access_token: mint(user, access),
        scope: record.granted.join(' '),
        expires_in: REGISTRY_TOKEN_LIFETIME_SECONDS,
        issued_at: new Date().toISOString(),
      };
      if (form.get('access_type') === 'offline') {
        const refresh = randomBytes(18).toString('base64url');
        refreshTokens.set(refresh, user);
        body['refresh_token'] = refresh;
      }
      return send(res, record, 200, body);
    }
    req.resume();
    return send(res, record, 405, { error: 'method_not_allowed' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`testkit token server: ${(err as Error).message}`);
    });
  });
  const port = await listenOnLoopback(server);
  let closed: Promise<void> | undefined;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    requests,
    certificatePath,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
