import { TOKEN_SOURCES } from '@provenant/core';
import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';
import type { SigningIntent } from './signing-intent.ts';

const CHECK = 'id-token';

/**
 * Can keyless signing get an OIDC token here? Uses the same token sources, in the same order, as
 * signing does (core's TOKEN_SOURCES), so doctor and attest never disagree. Reads only the
 * environment: no token is requested.
 */
export function checkIdToken(ctx: CollectorContext, signing: SigningIntent): DoctorCheck {
  if (signing.key) return { level: 'OK', check: CHECK, what: 'signing with --key needs no OIDC token' };
  if (signing.identityToken) return { level: 'OK', check: CHECK, what: 'the token is given with --identity-token' };
  for (const source of TOKEN_SOURCES) {
    if (!source.detect(ctx.env)) continue;
    const missing = source.missing(ctx.env);
    if (missing === undefined) return { level: 'OK', check: CHECK, what: `${source.name} can issue an OIDC token for keyless signing` };
    // Core's messages read `<what>: add <fix>`.
    const split = /^(.*?): (add .*)$/.exec(missing);
    return { level: 'FAIL', check: CHECK, what: split ? split[1]! : missing, fix: split ? split[2]! : 'give --key FILE or --identity-token @FILE' };
  }
  return {
    level: 'WARN',
    check: CHECK,
    what: 'no OIDC token source here (not GitHub Actions, GitLab CI, Buildkite or CircleCI; SIGSTORE_ID_TOKEN is not set), so keyless signing is impossible',
    fix: 'sign with --key FILE, or pass --identity-token @FILE',
  };
}
