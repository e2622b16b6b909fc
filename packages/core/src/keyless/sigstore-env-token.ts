import type { TokenSource } from './token-source.ts';
import { envValue } from './oidc-context.ts';

/**
 * `SIGSTORE_ID_TOKEN`: a token put in the environment by whoever runs provenant (cosign and
 * sigstore-js read the same variable). It takes precedence over every CI platform's own service.
 */
export const sigstoreEnvToken: TokenSource = {
  name: 'SIGSTORE_ID_TOKEN',
  detect: (env) => envValue(env, 'SIGSTORE_ID_TOKEN') !== undefined,
  missing: () => undefined,
  provider: (ctx) => ({ getToken: async () => envValue(ctx.env, 'SIGSTORE_ID_TOKEN') ?? '' }),
  atHand: (env) => envValue(env, 'SIGSTORE_ID_TOKEN'),
};
