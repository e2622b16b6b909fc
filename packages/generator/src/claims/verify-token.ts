import { type JsonWebKey, type KeyObject, constants, createPublicKey, verify } from 'node:crypto';
import { fetchIssuerKeys } from './issuer-keys.ts';
import { decodeJwt } from './jwt.ts';

/** Why a token's claims cannot be used. Stable: recorded in the provenance as the reason. */
export type TokenProblem =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'issuer-mismatch'
  | 'audience-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'keys-unavailable'
  | 'no-matching-key'
  | 'signature-invalid';

/** The outcome of verifying an ID token: its claims, or the problem. Never contains the token. */
export type TokenVerification = { ok: true; claims: Record<string, unknown> } | { ok: false; problem: TokenProblem; message: string };

export interface VerifyTokenOptions {
  /** The issuer the token must name (`iss`) and whose published keys must have signed it. */
  issuer: string;
  /** An audience the token must name (`aud`). */
  audience: string;
  /** The injected clock. */
  now: Date;
  /** The injected fetch, for OIDC discovery and the key set. */
  fetch: typeof globalThis.fetch;
  /** Clock skew tolerated on exp, nbf and iat; default 60 s. */
  leewaySeconds?: number;
}

interface Algorithm {
  kty: 'RSA' | 'EC';
  hash: 'sha256' | 'sha384' | 'sha512';
  /** EC curve: JWK name and node's name; the P1363 signature length. */
  curve?: { jwk: string; node: string; signatureBytes: number };
  pss?: boolean;
}

/** The JWS algorithms CI issuers use (GitHub and GitLab sign with RS256). `none` and HMAC never verify. */
const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', curve: { jwk: 'P-256', node: 'prime256v1', signatureBytes: 64 } },
  ES384: { kty: 'EC', hash: 'sha384', curve: { jwk: 'P-384', node: 'secp384r1', signatureBytes: 96 } },
};

/** RSA keys below this are refused (NIST SP 800-131A). */
const MIN_RSA_BITS = 2048;

/**
 * Verifies an OIDC ID token: its signature against the key set the expected issuer publishes
 * (OIDC discovery), and `iss`, `aud`, `exp`, `nbf`, `iat` against the expectations and the
 * injected clock. The claims are checked first, so a token for another issuer never causes a
 * request. Returns a result rather than throwing: an unverifiable token is an ordinary outcome.
 */
export async function verifyIdToken(token: string, options: VerifyTokenOptions): Promise<TokenVerification> {
  const fail = (problem: TokenProblem, message: string): TokenVerification => ({ ok: false, problem, message });
  const jwt = decodeJwt(token);
  if (jwt === undefined) return fail('malformed', 'the token is not a JWS (three base64url JSON parts)');
  const alg = typeof jwt.header['alg'] === 'string' ? jwt.header['alg'] : '';
  const algorithm = ALGORITHMS[alg];
  if (algorithm === undefined) return fail('unsupported-algorithm', `the token is signed with ${alg === '' ? 'no algorithm' : alg}, not one of ${Object.keys(ALGORITHMS).join(', ')}`);

  const claims = jwt.payload;
  if (claims['iss'] !== options.issuer) return fail('issuer-mismatch', `the token's issuer is not ${options.issuer}`);
  const aud = claims['aud'];
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(options.audience)) return fail('audience-mismatch', `the token's audience is not ${options.audience}`);
  const timeProblem = checkTimes(claims, options.now, options.leewaySeconds ?? 60);
  if (timeProblem) return timeProblem;

  const keys = await fetchIssuerKeys(options.issuer, options.fetch);
  if (!keys.ok) return fail('keys-unavailable', `the signing keys of ${options.issuer} could not be fetched: ${keys.message}`);
  const candidates = candidateKeys(keys.keys, alg, algorithm, jwt.header['kid']);
  if (candidates.length === 0) return fail('no-matching-key', `${options.issuer} publishes no ${alg} key${typeof jwt.header['kid'] === 'string' ? ' with the token\'s key id' : ''}`);
  const data = Buffer.from(jwt.signingInput, 'ascii');
  for (const key of candidates) {
    if (verifySignature(algorithm, key, data, jwt.signature)) return { ok: true, claims };
  }
  return fail('signature-invalid', `the token's signature does not verify with the keys of ${options.issuer}`);
}

function checkTimes(claims: Record<string, unknown>, now: Date, leeway: number): TokenVerification | undefined {
  const t = now.getTime() / 1000;
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, problem: 'malformed', message: 'the token has no numeric exp claim' };
  if (exp + leeway <= t) return { ok: false, problem: 'expired', message: `the token expired at ${new Date(exp * 1000).toISOString()}` };
  for (const name of ['nbf', 'iat'] as const) {
    const value = claims[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, problem: 'malformed', message: `the token's ${name} claim is not a number` };
    if (value - leeway > t) return { ok: false, problem: 'not-yet-valid', message: `the token's ${name} is ${new Date(value * 1000).toISOString()}, in the future` };
  }
  return undefined;
}

/** Keys of the right type and curve, for signing, naming the algorithm if they name one, and the token's kid if it has one. */
function candidateKeys(jwks: readonly Record<string, unknown>[], alg: string, algorithm: Algorithm, kid: unknown): KeyObject[] {
  const out: KeyObject[] = [];
  for (const jwk of jwks) {
    if (jwk['kty'] !== algorithm.kty) continue;
    if (jwk['use'] !== undefined && jwk['use'] !== 'sig') continue;
    if (jwk['alg'] !== undefined && jwk['alg'] !== alg) continue;
    if (typeof kid === 'string' && jwk['kid'] !== kid) continue;
    if (algorithm.curve && jwk['crv'] !== algorithm.curve.jwk) continue;
    let key: KeyObject;
    try {
      // Only the public members: a JWK set that (wrongly) carries `d` must not yield a private key.
      const { kty, n, e, crv, x, y } = jwk;
      key = createPublicKey({ key: { kty, n, e, crv, x, y } as JsonWebKey, format: 'jwk' });
    } catch {
      continue;
    }
    const details = key.asymmetricKeyDetails;
    if (algorithm.kty === 'RSA' && (details?.modulusLength ?? 0) < MIN_RSA_BITS) continue;
    if (algorithm.curve && details?.namedCurve !== algorithm.curve.node) continue;
    out.push(key);
  }
  return out;
}

function verifySignature(algorithm: Algorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (algorithm.curve) {
      if (signature.length !== algorithm.curve.signatureBytes) return false;
      return verify(algorithm.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (algorithm.pss) {
      return verify(algorithm.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    }
    return verify(algorithm.hash, data, key, signature);
  } catch {
    return false;
  }
}
