import { ProvenantError } from '../errors.ts';
import { SIGSTORE_AUDIENCE } from './identity-token.ts';
import { envValue, stderrSummary } from './oidc-context.ts';
import type { TokenSource } from './token-source.ts';

/**
 * CircleCI, detected by CIRCLECI=true. `circleci run oidc get --claims '{"aud":"sigstore"}'`
 * issues a token for Sigstore's audience; if the CLI cannot, `CIRCLE_OIDC_TOKEN_V2` is used, whose
 * audience is the organization id (which a Fulcio that insists on `aud: sigstore` refuses).
 */
export const circleciToken: TokenSource = {
  name: 'CircleCI',
  detect: (env) => envValue(env, 'CIRCLECI') === 'true',
  missing: () => undefined,
  provider: (ctx) => ({
    getToken: async () => {
      const r = await ctx.exec('circleci', ['run', 'oidc', 'get', '--claims', JSON.stringify({ aud: SIGSTORE_AUDIENCE })], { timeoutMs: 30_000 });
      if (r.code === 0 && r.stdout.trim() !== '') return r.stdout.trim();
      const fallback = envValue(ctx.env, 'CIRCLE_OIDC_TOKEN_V2');
      if (fallback !== undefined) return fallback;
      const why = r.code === null ? 'could not run the circleci CLI' : `\`circleci run oidc get\` failed (exit ${r.code})${stderrSummary(r.stderr)}`;
      throw new ProvenantError(
        'OIDC_TOKEN_UNAVAILABLE',
        `CircleCI: ${why}, and CIRCLE_OIDC_TOKEN_V2 is not set: run the job with a context (CircleCI issues OIDC tokens to jobs that use one)`,
      );
    },
  }),
};
