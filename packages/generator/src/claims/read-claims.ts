import type { OidcContext } from '@provenant/core';
import type { ClaimsStatus } from './field-sources.ts';
import type { VerifiedClaims } from './merge-claims.ts';
import type { PlatformProfile } from './platform-profile.ts';
import { verifyIdToken } from './verify-token.ts';

/** What reading the platform's claims gave: the status to record, and the claims if verified. */
export interface ClaimsReading {
  status: ClaimsStatus;
  verified?: VerifiedClaims;
}

/**
 * Gets this job's OIDC token from the platform and verifies it against the issuer the platform's
 * server implies. Never throws for a missing or unverifiable token: the claims are then simply not
 * used, and the status says why. The token is dropped here; only its claims leave this function.
 */
export async function readPlatformClaims(profile: PlatformProfile, ctx: OidcContext): Promise<ClaimsReading> {
  const claims = profile.claims;
  if (claims === undefined) {
    return { status: { status: 'unavailable', reason: 'unsupported-platform', message: `provenant reads no signed claims on ${profile.platform}` } };
  }
  const issuer = claims.issuer(ctx.env);
  if (issuer === undefined) {
    return { status: { status: 'unavailable', reason: 'unsupported-platform', message: `the ${profile.platform} server is not known, so neither is its token issuer` } };
  }
  const token = await claims.token(ctx);
  if (token.kind === 'unavailable') return { status: { status: 'unavailable', reason: token.reason, message: token.message } };
  const result = await verifyIdToken(token.token, { issuer, audience: token.audience, now: ctx.now(), fetch: ctx.fetch });
  if (!result.ok) return { status: { status: 'not-verified', issuer, reason: result.problem, message: result.message } };
  return { status: { status: 'verified', issuer, audience: token.audience }, verified: { issuer, values: result.claims } };
}
