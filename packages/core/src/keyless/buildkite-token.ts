import { ProvenantError } from '../errors.ts';
import { SIGSTORE_AUDIENCE } from './identity-token.ts';
import { envValue, stderrSummary } from './oidc-context.ts';
import type { TokenSource } from './token-source.ts';

/**
 * Buildkite, detected by BUILDKITE=true. The agent issues the token:
 * `buildkite-agent oidc request-token --audience sigstore` prints it on stdout.
 */
export const buildkiteToken: TokenSource = {
  name: 'Buildkite',
  detect: (env) => envValue(env, 'BUILDKITE') === 'true',
  // Whether the agent will issue a token is known only by asking it.
  missing: () => undefined,
  provider: (ctx) => ({
    getToken: async () => {
      const r = await ctx.exec('buildkite-agent', ['oidc', 'request-token', '--audience', SIGSTORE_AUDIENCE], { timeoutMs: 30_000 });
      if (r.code === null) {
        throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', 'Buildkite: could not run `buildkite-agent oidc request-token` (is buildkite-agent on PATH?)');
      }
      if (r.code !== 0) {
        throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', `Buildkite: \`buildkite-agent oidc request-token\` failed (exit ${r.code})${stderrSummary(r.stderr)}`);
      }
      return r.stdout.trim();
    },
  }),
};

