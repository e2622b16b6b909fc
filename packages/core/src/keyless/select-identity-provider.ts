import type { IdentityProvider } from '@sigstore/sign';
import { buildkiteToken } from './buildkite-token.ts';
import { circleciToken } from './circleci-token.ts';
import { githubActionsToken } from './github-actions-token.ts';
import { checkIdentityToken } from './identity-token.ts';
import { gitlabCiToken } from './gitlab-ci-token.ts';
import type { OidcContext } from './oidc-context.ts';
import { sigstoreEnvToken } from './sigstore-env-token.ts';
import { type TokenSource, checkedProvider } from './token-source.ts';

/**
 * In order of precedence: a token handed over explicitly (`SIGSTORE_ID_TOKEN`, GitLab's
 * `id_tokens:` variable) beats one a platform's token service would issue.
 */
export const TOKEN_SOURCES: readonly TokenSource[] = [gitlabCiToken, sigstoreEnvToken, githubActionsToken, buildkiteToken, circleciToken];

/** Where the identity for keyless signing comes from, decided from the environment alone. */
export type IdentitySelection =
  /** A token can be had: `provider.getToken()` gets it (checked, never echoed) when signing starts. */
  | { kind: 'found'; source: string; provider: IdentityProvider }
  /** A CI platform is detected but gives no token; `reason` says what to add to the job. */
  | { kind: 'missing'; source: string; reason: string }
  /** Nothing here can give a token (not in a supported CI, no SIGSTORE_ID_TOKEN). */
  | { kind: 'none' };

/**
 * Picks the identity provider for keyless signing. An explicit token (the CLI's
 * `--identity-token`) wins; then the sources in TOKEN_SOURCES order. Nothing is requested yet,
 * but a token already at hand (the flag, a variable) is checked now: OIDC_TOKEN_INVALID.
 */
export function selectIdentityProvider(ctx: OidcContext, options: { identityToken?: string } = {}): IdentitySelection {
  if (options.identityToken !== undefined) {
    const token = options.identityToken;
    checkIdentityToken(token.trim(), '--identity-token', ctx.now());
    return { kind: 'found', source: '--identity-token', provider: checkedProvider('--identity-token', { getToken: async () => token }, ctx.now) };
  }
  let missing: IdentitySelection | undefined;
  for (const source of TOKEN_SOURCES) {
    if (!source.detect(ctx.env)) continue;
    const reason = source.missing(ctx.env);
    if (reason === undefined) {
      const atHand = source.atHand?.(ctx.env);
      if (atHand !== undefined) checkIdentityToken(atHand.trim(), source.name, ctx.now());
      return { kind: 'found', source: source.name, provider: checkedProvider(source.name, source.provider(ctx), ctx.now) };
    }
    missing ??= { kind: 'missing', source: source.name, reason };
  }
  return missing ?? { kind: 'none' };
}
