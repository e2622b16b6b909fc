import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How to mint a token: the issuer's key, or another one under the same key id (a forgery). */
export interface MintOptions {
  key?: 'issuer' | 'other';
}

/**
 * A local OIDC issuer on 127.0.0.1 for tests: OIDC discovery, a JWKS with an RSA key generated at
 * start, and a GitHub-style ID-token service (`GET /token?...&audience=X` with a bearer, answering
 * `{ "value": <JWT> }`). Offline by construction.
 */
export interface LocalIssuer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `url` + the issuer path: what tokens name as `iss` and discovery is served under. */
  readonly issuer: string;
  /** Paths requested so far, in order (query strings included for /token). */
  readonly requests: string[];
  /** Signs claims as an RS256 JWT; `iss`, `iat`, `nbf`, `exp` default from the clock, `aud` to `provenant`. */
  mint(claims: Record<string, unknown>, options?: MintOptions): string;
  /** The claims /token mints (its `aud` is the requested audience). */
  tokenClaims: Record<string, unknown>;
  /** When true, discovery and JWKS answer 503. */
  down: boolean;
  close(): Promise<void>;
}

/** The bearer the token service expects (a stand-in for ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
export const TOKEN_SERVICE_BEARER = 'runner-bearer-for-tests';

export async function startLocalIssuer(options: { issuerPath?: string; now?: () => Date } = {}): Promise<LocalIssuer> {
  const now = options.now ?? (() => new Date());
  const issuerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  const requests: string[] = [];
  const state = { url: '', issuer: '', tokenClaims: {} as Record<string, unknown>, down: false };

  const mint = (claims: Record<string, unknown>, mintOptions: MintOptions = {}): string => {
    const iat = Math.floor(now().getTime() / 1000);
    const payload = { iss: state.issuer, aud: 'provenant', iat, nbf: iat, exp: iat + 300, ...claims };
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
    const key: KeyObject = mintOptions.key === 'other' ? otherKey.privateKey : issuerKey.privateKey;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname === '/token' ? `${url.pathname}${url.search}` : url.pathname);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const issuerPath = new URL(state.issuer).pathname.replace(/\/$/, '');
    if (url.pathname === '/token') {
      if (req.headers.authorization !== `Bearer ${TOKEN_SERVICE_BEARER}`) return json(401, { message: 'bad bearer' });
      return json(200, { value: mint({ ...state.tokenClaims, aud: url.searchParams.get('audience') }) });
    }
    if (state.down) return json(503, { message: 'down' });
    if (url.pathname === `${issuerPath}/.well-known/openid-configuration`) return json(200, { issuer: state.issuer, jwks_uri: `${state.issuer}/.well-known/jwks` });
    if (url.pathname === `${issuerPath}/.well-known/jwks`) {
      return json(200, { keys: [{ ...issuerKey.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    }
    return json(404, { message: 'no such route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.issuer = `${state.url}${options.issuerPath ?? ''}`;

  return {
    get url() {
      return state.url;
    },
    get issuer() {
      return state.issuer;
    },
    requests,
    mint,
    get tokenClaims() {
      return state.tokenClaims;
    },
    set tokenClaims(claims) {
      state.tokenClaims = claims;
    },
    get down() {
      return state.down;
    },
    set down(value) {
      state.down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}
