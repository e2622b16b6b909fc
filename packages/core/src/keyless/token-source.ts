import type { IdentityProvider } from '@sigstore/sign';
import { isProvenantError, ProvenantError } from '../errors.ts';
import { checkIdentityToken } from './identity-token.ts';
import type { OidcContext } from './oidc-context.ts';

/**
 * One place an OIDC token for Sigstore can come from: a CI platform's token service, or a
 * variable. Plain objects, one module each, like the generator's collectors.
 */
export interface TokenSource {
  /** For messages: `GitHub Actions`, `SIGSTORE_ID_TOKEN`. */
  readonly name: string;
  /** True when this source applies here: its platform is detected, or its variable is set. */
  detect(env: OidcContext['env']): boolean;
  /**
   * Why this source, though detected, can give no token: one line that says what to add (a job
   * permission, a config snippet). Undefined when a token can be requested. Reads only the
   * environment, so a missing permission is reported before any hashing or network request.
   */
  missing(env: OidcContext['env']): string | undefined;
  /** Gets the token when signing starts (tokens are short-lived, so never earlier). */
  provider(ctx: OidcContext): IdentityProvider;
  /**
   * The token, if it is already at hand in a variable (no request needed): such a token is
   * checked when the source is selected, so a malformed or expired one fails before any hashing.
   */
  atHand?(env: OidcContext['env']): string | undefined;
}

/**
 * Wraps a source's provider so that every token is checked (checkIdentityToken) before Fulcio
 * sees it, and every failure is a ProvenantError that names the source and never the token.
 */
export function checkedProvider(source: string, inner: IdentityProvider, now: () => Date): IdentityProvider {
  return {
    getToken: async () => {
      let token: string;
      try {
        token = (await inner.getToken()).trim();
      } catch (err) {
        if (isProvenantError(err)) throw err;
        throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', `${source}: no identity token: ${(err as Error).message}`, { cause: err });
      }
      if (token === '') throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', `${source} gave an empty identity token`);
      checkIdentityToken(token, source, now());
      return token;
    },
  };
}
