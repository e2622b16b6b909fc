import { type KeyObject, createHash, generateKeyPairSync, sign, verify } from 'node:crypto';

/** Issuer used by `identityToken()` when none is given. */
export const DEFAULT_ISSUER = 'https://oidc.testkit.invalid';
/** Subject (and so certificate SAN) used by `identityToken()` when none is given. */
export const DEFAULT_SUBJECT = 'https://ci.testkit.invalid/provenant/workload';
/** Audience Fulcio expects; the stack's Fulcio does not check it, but the claim is there. */
export const TOKEN_AUDIENCE = 'sigstore';
/** Default token lifetime. */
export const TOKEN_LIFETIME_SECONDS = 3600;

export interface IdentityClaims {
  /** `iss` claim; becomes the certificate's OIDC issuer extensions (1.3.6.1.4.1.57264.1.1 and .8). */
  issuer?: string;
  /** `sub` claim; becomes the certificate SAN (a URI SAN) unless `email` is given. */
  subject?: string;
  /** `email` claim (with `email_verified: true`); when present it is the certificate SAN, as with Fulcio. */
  email?: string;
  /**
   * Any other claim, copied verbatim into the token. GitHub Actions claims (`repository`, `sha`,
   * `ref`, `workflow_ref`, `job_workflow_ref`, `event_name`, `run_id`, ...) become Fulcio
   * certificate extensions; their values must be strings, as in real GitHub tokens.
   */
  [claim: string]: unknown;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs OIDC-style JWTs (ES256) with a key generated per stack, and checks them in the Fulcio front. */
export class TokenIssuer {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #kid: string;
  readonly #now: () => Date;

  constructor(now: () => Date) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
    this.#kid = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16);
    this.#now = now;
  }

  mint(claims: IdentityClaims = {}): string {
    const { issuer, subject, email, ...extra } = claims;
    const iat = Math.floor(this.#now().getTime() / 1000);
    const payload: Record<string, unknown> = {
      iss: issuer ?? DEFAULT_ISSUER,
      sub: subject ?? DEFAULT_SUBJECT,
      aud: TOKEN_AUDIENCE,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
      ...(email !== undefined ? { email, email_verified: true } : {}),
      ...extra,
    };
    const header = { alg: 'ES256', typ: 'JWT', kid: this.#kid };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const sig = sign('sha256', Buffer.from(signingInput), { key: this.#privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${b64url(sig)}`;
  }

  /** Returns the claims of a token this issuer signed, or throws with the reason it is refused. */
  check(token: unknown): Record<string, unknown> {
    if (typeof token !== 'string') throw new Error('missing OIDC identity token');
    const parts = token.split('.');
    if (parts.length !== 3) throw new Error('identity token is not a JWS compact serialization');
    const [h, p, s] = parts as [string, string, string];
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: this.#publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    if (!ok) throw new Error('identity token signature is not from this stack');
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new Error('identity token payload is not JSON');
    }
    const now = Math.floor(this.#now().getTime() / 1000);
    if (typeof claims['exp'] === 'number' && claims['exp'] < now) throw new Error('identity token has expired');
    if (typeof claims['nbf'] === 'number' && claims['nbf'] > now + 60) throw new Error('identity token is not yet valid');
    return claims;
  }
}
