import type { OidcContext } from '@provenant/core';
import type { CiFactKey } from './ci-fact-keys.ts';

/**
 * The audience of the tokens provenant asks for to read claims: a token minted for this purpose is
 * good for nothing else (Fulcio wants `sigstore`).
 */
export const PROVENANT_AUDIENCE = 'provenant';

type Env = Readonly<Record<string, string | undefined>>;

/** A CI fact as the signed claims state it, and the claims it was made from. */
export interface ClaimFact {
  value: string;
  claims: string[];
}

/** A token to verify, or why there is none. The token is held only until it is verified. */
export type PlatformToken =
  | { kind: 'token'; token: string; audience: string }
  | { kind: 'unavailable'; reason: 'no-token' | 'token-request-failed'; message: string };

/** How one platform's signed OIDC claims map onto CI facts. */
export interface PlatformClaims {
  /**
   * The issuer whose tokens are accepted, or undefined when the environment does not say which
   * server this is. Fixed per server: a token from any other issuer is not used.
   */
  issuer(env: Env): string | undefined;
  /** Gets this job's token (requests it, or reads the variable `id_tokens:` declared). */
  token(ctx: OidcContext): Promise<PlatformToken>;
  /** The facts the verified claims state. `issuer` has been checked against the token's `iss`. */
  facts(claims: Readonly<Record<string, unknown>>, issuer: string, env: Env): Map<CiFactKey, ClaimFact>;
}

/**
 * What provenant knows about one CI platform beyond its collector: which variables each fact
 * was read from (so the provenance can name them), and its signed claims, if it has any.
 */
export interface PlatformProfile {
  /** CiFacts.platform of the collector this describes. */
  platform: string;
  /** The variable whose presence detected the platform. */
  detectedBy?: string;
  /**
   * The variables each fact came from in this environment, as the collector reads them. A fact
   * the collector set without any variable listed here is a provenant default.
   */
  environmentSources(env: Env): Map<CiFactKey, string[]>;
  claims?: PlatformClaims;
}

/** A claim as a string: strings as they are, finite numbers in decimal (GitLab's runner_id is one). */
export function claimString(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = claims[name];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The named variables that are set and non-empty (CI platforms export empty strings). */
export function setVariables(env: Env, ...names: string[]): string[] {
  return names.filter((n) => env[n] !== undefined && env[n] !== '');
}

/** Adds `key -> variables` when at least one of them is set. */
export function putSources(out: Map<CiFactKey, string[]>, env: Env, key: CiFactKey, ...names: string[]): void {
  const set = setVariables(env, ...names);
  if (set.length > 0) out.set(key, set);
}
