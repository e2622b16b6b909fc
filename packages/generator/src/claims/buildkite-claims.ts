import type { CiFactKey } from './ci-fact-keys.ts';
import { type ClaimFact, PROVENANT_AUDIENCE, type PlatformProfile, claimString, putSources, setVariables } from './platform-profile.ts';

/**
 * Buildkite's one issuer: every organisation's agents get tokens from it, so the organisation is
 * told apart by the `organization_slug` claim, never by the issuer.
 */
export const BUILDKITE_ISSUER = 'https://agent.buildkite.com';
/** Buildkite's web origin: build URLs are `<origin>/<org>/<pipeline>/builds/<number>`. */
const BUILDKITE_WEB = 'https://buildkite.com';
/** As in collectors/buildkite.ts. */
const AGENT_BUILDER = 'https://github.com/buildkite/agent';
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** platformIds key -> [variable, claim]: the token carries the same slugs and ids as these variables. */
const IDS: Record<string, [string, string]> = {
  agent_id: ['BUILDKITE_AGENT_ID', 'agent_id'],
  build_number: ['BUILDKITE_BUILD_NUMBER', 'build_number'],
  job_id: ['BUILDKITE_JOB_ID', 'job_id'],
  organization_slug: ['BUILDKITE_ORGANIZATION_SLUG', 'organization_slug'],
  pipeline_slug: ['BUILDKITE_PIPELINE_SLUG', 'pipeline_slug'],
  step_key: ['BUILDKITE_STEP_KEY', 'step_key'],
};

/** The collector's other platformIds, which no claim states. */
const OTHER_ID_VARIABLES: Record<string, string> = {
  build_id: 'BUILDKITE_BUILD_ID',
  cluster_id: 'BUILDKITE_CLUSTER_ID',
  organization_id: 'BUILDKITE_ORGANIZATION_ID',
  pipeline_id: 'BUILDKITE_PIPELINE_ID',
  pull_request: 'BUILDKITE_PULL_REQUEST',
  queue: 'BUILDKITE_AGENT_META_DATA_QUEUE',
  rebuilt_from_build_id: 'BUILDKITE_REBUILT_FROM_BUILD_ID',
  retry_count: 'BUILDKITE_RETRY_COUNT',
  step_id: 'BUILDKITE_STEP_ID',
  triggered_from_build_id: 'BUILDKITE_TRIGGERED_FROM_BUILD_ID',
};

type Env = Readonly<Record<string, string | undefined>>;

/** A pull request build: Buildkite sets BUILDKITE_PULL_REQUEST to `false` otherwise. */
function isPullRequest(env: Env): boolean {
  const pr = env['BUILDKITE_PULL_REQUEST'];
  return pr !== undefined && pr !== '' && pr !== 'false';
}

/**
 * Buildkite: variables per "Environment variables", claims per "OIDC with Buildkite" and
 * `buildkite-agent oidc request-token`. The token is asked of the agent with audience `provenant`.
 */
export const buildkiteProfile: PlatformProfile = {
  platform: 'buildkite',
  detectedBy: 'BUILDKITE',

  environmentSources(env) {
    const out = new Map<CiFactKey, string[]>();
    // Without a known BUILDKITE_COMPUTE_TYPE the collector's builder id is its default, from no variable.
    if (env['BUILDKITE_COMPUTE_TYPE'] === 'hosted' || env['BUILDKITE_COMPUTE_TYPE'] === 'self-hosted') {
      out.set('builderId', ['BUILDKITE_COMPUTE_TYPE']);
      out.set('runnerKind', ['BUILDKITE_COMPUTE_TYPE']);
    }
    putSources(out, env, 'invocationId', 'BUILDKITE_BUILD_URL', 'BUILDKITE_JOB_ID');
    putSources(out, env, 'triggerEvent', 'BUILDKITE_SOURCE');
    putSources(out, env, 'repository', 'BUILDKITE_REPO');
    // As the collector's refOf: a tag first, then a pull request's refspec, then the branch.
    const ref = setVariables(env, 'BUILDKITE_TAG')[0] ?? (isPullRequest(env) ? 'BUILDKITE_PULL_REQUEST' : setVariables(env, 'BUILDKITE_BRANCH')[0]);
    if (ref !== undefined) out.set('ref', [ref]);
    putSources(out, env, 'commit', 'BUILDKITE_COMMIT');
    for (const [id, [variable]] of Object.entries(IDS)) putSources(out, env, `platformIds.${id}`, variable);
    for (const [id, variable] of Object.entries(OTHER_ID_VARIABLES)) putSources(out, env, `platformIds.${id}`, variable);
    return out;
  },

  claims: {
    issuer: () => BUILDKITE_ISSUER,

    async token(ctx) {
      const r = await ctx.exec('buildkite-agent', ['oidc', 'request-token', '--audience', PROVENANT_AUDIENCE], { timeoutMs: 30_000 });
      if (r.code === null) {
        return { kind: 'unavailable', reason: 'token-request-failed', message: 'Buildkite: could not run `buildkite-agent oidc request-token` (is buildkite-agent on PATH?)' };
      }
      // The agent's stderr is not repeated: it could echo the request, and the exit status says enough.
      if (r.code !== 0 || r.stdout.trim() === '') {
        return { kind: 'unavailable', reason: 'token-request-failed', message: `Buildkite: \`buildkite-agent oidc request-token\` failed (exit ${r.code})` };
      }
      return { kind: 'token', token: r.stdout.trim(), audience: PROVENANT_AUDIENCE };
    },

    facts(claims, _issuer, env) {
      const out = new Map<CiFactKey, ClaimFact>();
      const c = (name: string) => claimString(claims, name);
      const put = (key: CiFactKey, value: string | undefined, ...names: string[]) => {
        if (value !== undefined) out.set(key, { value, claims: names });
      };
      const org = c('organization_slug');
      const pipeline = c('pipeline_slug');
      const build = c('build_number');
      const job = c('job_id');
      if (org !== undefined && pipeline !== undefined && build !== undefined && job !== undefined) {
        // The build URL is Buildkite's own, the one issuer's: `iss` vouches for the origin.
        put('invocationId', `${BUILDKITE_WEB}/${org}/${pipeline}/builds/${build}#${job}`, 'iss', 'organization_slug', 'pipeline_slug', 'build_number', 'job_id');
      }
      put('triggerEvent', c('build_source'), 'build_source');
      const tag = c('build_tag');
      const branch = c('build_branch');
      // The token names no pull request: a pull request build checks out refs/pull/<n>/..., not the
      // branch the claim names, so the two are different things and not compared.
      if (tag !== undefined) put('ref', `refs/tags/${tag}`, 'build_tag');
      else if (branch !== undefined && !isPullRequest(env)) put('ref', `refs/heads/${branch}`, 'build_branch');
      // As the collector: a symbolic `HEAD` is no commit.
      const commit = c('build_commit');
      if (commit !== undefined && FULL_SHA.test(commit)) put('commit', commit, 'build_commit');
      const runner = c('runner_environment');
      if (runner === 'buildkite-hosted' || runner === 'self-hosted') {
        put('builderId', `${AGENT_BUILDER}/${runner}`, 'runner_environment');
        put('runnerKind', runner === 'buildkite-hosted' ? 'hosted' : 'self-hosted', 'runner_environment');
      }
      for (const [id, [, claim]] of Object.entries(IDS)) put(`platformIds.${id}`, c(claim), claim);
      return out;
    },
  },
};
