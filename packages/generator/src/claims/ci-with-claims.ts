import type { OidcContext } from '@provenant/core';
import { detectCi } from '../collectors/ci.ts';
import type { CiFacts } from '../collectors/ci-facts.ts';
import type { CollectorContext } from '../context.ts';
import type { CiFactKey } from './ci-fact-keys.ts';
import type { ClaimsStatus, FieldSource } from './field-sources.ts';
import { mergeClaims } from './merge-claims.ts';
import { profileFor } from './platform-profiles.ts';
import type { ClaimsReading } from './read-claims.ts';

/** The CI facts with the platform's verified claims merged in, and the origin of each. */
export interface CiWithClaims {
  ci: CiFacts;
  sources: Map<CiFactKey, FieldSource[]>;
  claims: ClaimsStatus;
  /** The variable that detected the platform, when provenant has a profile for it. */
  detectedBy?: string;
}

/**
 * Runs the CI collector, reads and verifies the platform's OIDC claims where it has them, and
 * merges the two (throws CLAIM_CONTRADICTION when they disagree). `oidc` false reads no claims.
 * The token and verification code are loaded only where a token can be had, so a local run pays
 * nothing for them.
 */
export async function collectCiWithClaims(ctx: CollectorContext, oidc: OidcContext | false): Promise<CiWithClaims> {
  const facts = await detectCi(ctx);
  const profile = profileFor(facts.platform);
  let reading: ClaimsReading;
  if (oidc === false) {
    reading = { status: { status: 'unavailable', reason: 'disabled', message: 'signed claims were not read' } };
  } else if (profile?.claims === undefined) {
    const message = facts.platform === 'local' ? 'a local build has no platform identity token' : `provenant reads no signed claims on ${facts.platform}`;
    reading = { status: { status: 'unavailable', reason: 'unsupported-platform', message } };
  } else {
    const { readPlatformClaims } = await import('./read-claims.ts');
    reading = await readPlatformClaims(profile, oidc);
  }
  const merged = mergeClaims(facts, ctx.env, profile, reading.verified);
  return { ...merged, claims: reading.status, ...(profile?.detectedBy ? { detectedBy: profile.detectedBy } : {}) };
}
