import type { TokenSource } from './token-source.ts';
import { envValue } from './oidc-context.ts';

/**
 * GitLab CI, detected by GITLAB_CI=true. GitLab gives a job an OIDC token only in the variables
 * its `id_tokens:` keyword names; provenant reads `SIGSTORE_ID_TOKEN`, whose `aud` must be sigstore.
 */
export const gitlabCiToken: TokenSource = {
  name: 'GitLab CI',
  detect: (env) => envValue(env, 'GITLAB_CI') === 'true',
  missing: (env) =>
    envValue(env, 'SIGSTORE_ID_TOKEN') === undefined
      ? 'GitLab CI gives this job no SIGSTORE_ID_TOKEN: add `id_tokens: { SIGSTORE_ID_TOKEN: { aud: sigstore } }` to the job'
      : undefined,
  provider: (ctx) => ({ getToken: async () => envValue(ctx.env, 'SIGSTORE_ID_TOKEN') ?? '' }),
  atHand: (env) => envValue(env, 'SIGSTORE_ID_TOKEN'),
};
