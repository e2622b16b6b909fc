import { ProvenantError } from '../errors.ts';
import { SIGSTORE_AUDIENCE } from './identity-token.ts';
import { type OidcContext, envValue } from './oidc-context.ts';
import type { TokenSource } from './token-source.ts';

/** Attempts per token request: GitHub's token service has brief outages, and a release job should not fail on one. */
const ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;

/**
 * GitHub Actions, detected by GITHUB_ACTIONS=true. The runner exposes an ID-token service only to
 * jobs with `permissions: id-token: write`: `ACTIONS_ID_TOKEN_REQUEST_URL`, with the bearer
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, returns `{ "value": "<JWT>" }` for the requested audience.
 */
export const githubActionsToken: TokenSource = {
  name: 'GitHub Actions',
  detect: (env) => envValue(env, 'GITHUB_ACTIONS') === 'true',
  missing: (env) =>
    envValue(env, 'ACTIONS_ID_TOKEN_REQUEST_URL') === undefined || envValue(env, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN') === undefined
      ? 'GitHub Actions gives this job no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set): add `permissions: id-token: write` to the job'
      : undefined,
  provider: (ctx) => ({ getToken: () => requestGitHubIdToken(ctx) }),
};

/**
 * Requests a token for `audience` from the job's ID-token service (3 attempts). Fulcio's tokens
 * use the default, `sigstore`; the generator asks for its own audience when it reads the job's
 * identity claims, so that token is good for nothing else.
 */
export async function requestGitHubIdToken(ctx: OidcContext, audience: string = SIGSTORE_AUDIENCE): Promise<string> {
  const fail = (why: string) => new ProvenantError('OIDC_TOKEN_UNAVAILABLE', `GitHub Actions ID-token request failed: ${why}`);
  const missing = githubActionsToken.missing(ctx.env);
  if (missing) throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', missing);
  let url: URL;
  try {
    url = new URL(envValue(ctx.env, 'ACTIONS_ID_TOKEN_REQUEST_URL')!);
  } catch {
    throw fail('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
  }
  // The URL already carries a query (api-version): append, never replace.
  url.searchParams.append('audience', audience);
  const headers = { Accept: 'application/json', Authorization: `Bearer ${envValue(ctx.env, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN')}` };
  let lastProblem = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await ctx.sleep(1000 * 2 ** (attempt - 2));
    let response: Response;
    try {
      response = await ctx.fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      lastProblem = fetchProblem(err);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      lastProblem = `HTTP ${response.status}`;
      // Only a server-side problem can go away by asking again.
      if (response.status >= 500 || response.status === 429) continue;
      const hint = response.status === 401 || response.status === 403 ? ' (is `permissions: id-token: write` set on this job?)' : '';
      throw fail(`${lastProblem}${hint}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw fail('the response is not JSON');
    }
    const value = (body as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || value === '') throw fail('the response has no token (`value`)');
    return value;
  }
  throw fail(`${lastProblem} (after ${ATTEMPTS} attempts)`);
}

/** `fetch failed` alone says nothing: the cause (ECONNREFUSED, a timeout) does. */
function fetchProblem(err: unknown): string {
  const e = err as Error & { cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError') return `timed out after ${TIMEOUT_MS} ms`;
  const cause = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.cause?.message === 'string' ? e.cause.message : undefined;
  return cause ? `${e.message} (${cause})` : e.message;
}
