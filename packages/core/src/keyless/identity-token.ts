import { ProvenantError } from '../errors.ts';

/** The audience Sigstore's Fulcio expects in an OIDC token (its OAuth client id). */
export const SIGSTORE_AUDIENCE = 'sigstore';

/** What provenant reads from an identity token. None of it is secret; the token itself is. */
export interface IdentityTokenClaims {
  issuer?: string;
  /** The identity Fulcio will certify: the `email` claim if present, else `sub`. */
  subject: string;
  expiresAt?: Date;
}

/**
 * Checks that a token is a JWT that Fulcio can work with, before it is sent anywhere: three
 * base64url segments, a JSON payload with a subject (a verified email, or `sub`), not expired.
 * Errors name the source and the problem, never the token: @sigstore/sign would put an
 * unparseable token into its error message, and error lines end up in CI logs.
 * The signature is not checked: only the issuer's keys (at Fulcio) can do that.
 */
export function checkIdentityToken(token: string, source: string, now: Date): IdentityTokenClaims {
  const invalid = (why: string) => new ProvenantError('OIDC_TOKEN_INVALID', `the identity token from ${source} ${why}`);
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+={0,2}$/.test(p))) throw invalid('is not a JWT (three base64url parts)');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw invalid('has a payload that is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalid('has a payload that is not a JSON object');
  const claims = payload as Record<string, unknown>;
  let subject: string;
  if (claims['email'] !== undefined) {
    // Fulcio certifies an email only if the issuer verified it; @sigstore/sign refuses it otherwise.
    if (typeof claims['email'] !== 'string' || claims['email'] === '') throw invalid('has an email claim that is not a string');
    if (claims['email_verified'] !== true) throw invalid('has an email claim the issuer did not verify (email_verified)');
    subject = claims['email'];
  } else if (typeof claims['sub'] === 'string' && claims['sub'] !== '') {
    subject = claims['sub'];
  } else {
    throw invalid('has no subject (sub or email claim)');
  }
  let expiresAt: Date | undefined;
  if (claims['exp'] !== undefined) {
    if (typeof claims['exp'] !== 'number' || !Number.isFinite(claims['exp'])) throw invalid('has an exp claim that is not a number');
    expiresAt = new Date(claims['exp'] * 1000);
    if (expiresAt.getTime() <= now.getTime()) throw invalid(`expired at ${expiresAt.toISOString()}`);
  }
  const issuer = typeof claims['iss'] === 'string' ? claims['iss'] : undefined;
  return { ...(issuer !== undefined ? { issuer } : {}), subject, ...(expiresAt ? { expiresAt } : {}) };
}
