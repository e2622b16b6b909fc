import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv } from './ci-facts.ts';
import { branchRef, commitSha, compactFacts, repositoryUrl, requireHttpUrl, safeIds, tagRef } from './ci-values.ts';

const PLATFORM = 'Buildkite';

/**
 * Builder ids name the agent software (github.com/buildkite/agent) and how it is hosted, the way
 * GitHub's name its runner: the same for every organisation and run, so a verifier can match them.
 */
const AGENT_BUILDER = 'https://github.com/buildkite/agent';

/** Identifier key -> variable. Ids and slugs only: no author, creator or unblocker names. */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  agent_id: 'BUILDKITE_AGENT_ID',
  build_id: 'BUILDKITE_BUILD_ID',
  build_number: 'BUILDKITE_BUILD_NUMBER',
  cluster_id: 'BUILDKITE_CLUSTER_ID',
  job_id: 'BUILDKITE_JOB_ID',
  organization_id: 'BUILDKITE_ORGANIZATION_ID',
  organization_slug: 'BUILDKITE_ORGANIZATION_SLUG',
  pipeline_id: 'BUILDKITE_PIPELINE_ID',
  pipeline_slug: 'BUILDKITE_PIPELINE_SLUG',
  queue: 'BUILDKITE_AGENT_META_DATA_QUEUE',
  rebuilt_from_build_id: 'BUILDKITE_REBUILT_FROM_BUILD_ID',
  retry_count: 'BUILDKITE_RETRY_COUNT',
  step_id: 'BUILDKITE_STEP_ID',
  step_key: 'BUILDKITE_STEP_KEY',
  triggered_from_build_id: 'BUILDKITE_TRIGGERED_FROM_BUILD_ID',
};

/** The pull request number, or undefined: Buildkite sets the string `false` outside pull requests. */
function pullRequestOf(ctx: CollectorContext): string | undefined {
  const pr = envValue(ctx, 'BUILDKITE_PULL_REQUEST');
  return pr === undefined || pr === 'false' ? undefined : pr;
}

/** BUILDKITE_COMPUTE_TYPE is `hosted` on Buildkite hosted agents and `self-hosted` elsewhere. */
function runnerOf(ctx: CollectorContext): { builderId: string; runnerKind?: CiFacts['runnerKind'] } {
  switch (envValue(ctx, 'BUILDKITE_COMPUTE_TYPE')) {
    case 'hosted':
      return { builderId: `${AGENT_BUILDER}/buildkite-hosted`, runnerKind: 'hosted' };
    case 'self-hosted':
      return { builderId: `${AGENT_BUILDER}/self-hosted`, runnerKind: 'self-hosted' };
    default:
      // Older agents do not set it; claiming hosted would overstate the build's isolation.
      return { builderId: AGENT_BUILDER };
  }
}

/**
 * The ref the agent checked out. A tag build has BUILDKITE_TAG (and, on a GitHub tag push, the tag
 * name in BUILDKITE_BRANCH too, hence tags first). For a pull request on a GitHub provider the
 * agent fetches `refs/pull/<n>/head`, or `/merge` with BUILDKITE_PULL_REQUEST_USING_MERGE_REFSPEC;
 * on other providers it fetches the branch of a repository that may be a fork, which is not a ref
 * of BUILDKITE_REPO, so no ref is claimed.
 */
function refOf(ctx: CollectorContext): string | undefined {
  const tag = envValue(ctx, 'BUILDKITE_TAG');
  if (tag !== undefined) return tagRef(tag);
  const pr = pullRequestOf(ctx);
  if (pr !== undefined) {
    if (!(envValue(ctx, 'BUILDKITE_PIPELINE_PROVIDER') ?? '').includes('github')) return undefined;
    const merge = envValue(ctx, 'BUILDKITE_PULL_REQUEST_USING_MERGE_REFSPEC') === 'true';
    return `refs/pull/${pr}/${merge ? 'merge' : 'head'}`;
  }
  return branchRef(envValue(ctx, 'BUILDKITE_BRANCH'));
}

/**
 * Buildkite, detected by BUILDKITE=true. Reads only the variables of Buildkite's "Environment
 * variables" page; throws COLLECTOR_FAILED without BUILDKITE_BUILD_URL or BUILDKITE_JOB_ID.
 *
 * invocationId is `<build URL>#<job id>`, the form Buildkite's own provenance plugin uses: the
 * build URL alone is shared by every job of the build, and a retried job is a new job with a new
 * id (BUILDKITE_RETRY_COUNT is recorded in platformIds), so the pair names one attempt.
 */
export const buildkiteCollector: Collector<CiFacts> = {
  name: 'buildkite',

  detect: (ctx) => ctx.env.BUILDKITE === 'true',

  async collect(ctx) {
    const buildUrl = requireHttpUrl(ctx, PLATFORM, 'BUILDKITE_BUILD_URL');
    const jobId = requireEnv(ctx, PLATFORM, 'BUILDKITE_JOB_ID');
    const pr = pullRequestOf(ctx);
    return compactFacts({
      platform: 'buildkite',
      ...runnerOf(ctx),
      invocationId: `${buildUrl}#${jobId}`,
      triggerEvent: envValue(ctx, 'BUILDKITE_SOURCE'),
      repository: repositoryUrl(envValue(ctx, 'BUILDKITE_REPO')),
      ref: refOf(ctx),
      // BUILDKITE_COMMIT may be the symbolic `HEAD`; the checkout then says which commit it was.
      commit: commitSha(envValue(ctx, 'BUILDKITE_COMMIT')),
      platformIds: safeIds({ ...collectIds(ctx, PLATFORM_ID_VARIABLES), pull_request: pr }),
    });
  },
};
