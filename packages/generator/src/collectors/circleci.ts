import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue } from './ci-facts.ts';
import { branchRef, commitSha, compactFacts, repositoryUrl, requireHttpUrl, safeIds, tagRef } from './ci-values.ts';

const PLATFORM = 'CircleCI';

/** Identifier key -> built-in variable. Ids only: no CIRCLE_USERNAME. */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  build_num: 'CIRCLE_BUILD_NUM',
  job: 'CIRCLE_JOB',
  organization_id: 'CIRCLE_ORGANIZATION_ID',
  pipeline_id: 'CIRCLE_PIPELINE_ID',
  project_id: 'CIRCLE_PROJECT_ID',
  workflow_id: 'CIRCLE_WORKFLOW_ID',
  workflow_job_id: 'CIRCLE_WORKFLOW_JOB_ID',
};

/** A fork pull request's branch as CircleCI names it: `pull/<n>`, or `pull/<n>/head|merge` when triggered through the API. */
const PULL_BRANCH = /^pull\/(\d+)(?:\/(head|merge))?$/;

/**
 * The ref being built. For pull requests from forks CircleCI sets CIRCLE_BRANCH to `pull/<n>` and
 * checks out GitHub's `refs/pull/<n>/head`; calling that `refs/heads/pull/<n>` would name a branch
 * that does not exist.
 */
function refOf(ctx: CollectorContext): string | undefined {
  const tag = envValue(ctx, 'CIRCLE_TAG');
  if (tag !== undefined) return tagRef(tag);
  const branch = envValue(ctx, 'CIRCLE_BRANCH');
  const pull = branch === undefined ? null : PULL_BRANCH.exec(branch);
  if (pull) return `refs/pull/${pull[1]}/${pull[2] ?? 'head'}`;
  return branchRef(branch);
}

/** The parallel run, when the job runs with `parallelism` above 1. */
function parallelRunOf(ctx: CollectorContext): string | undefined {
  const total = Number(envValue(ctx, 'CIRCLE_NODE_TOTAL') ?? '1');
  return total > 1 ? envValue(ctx, 'CIRCLE_NODE_INDEX') : undefined;
}

/**
 * CircleCI, detected by CIRCLECI=true. Reads only the built-in variables of "Project values and
 * variables"; throws COLLECTOR_FAILED without CIRCLE_BUILD_URL.
 *
 * invocationId is CIRCLE_BUILD_URL: job numbers are unique per project and a rerun creates new
 * jobs. The parallel runs of one job share that URL, so with `parallelism` above 1 the run index
 * is added as a fragment (`#node-<index>`).
 *
 * builderId is the origin of CIRCLE_BUILD_URL (`https://circleci.com`, or a CircleCI server
 * installation). runnerKind is never set: no built-in variable tells CircleCI's own executors from
 * self-hosted runners, and CircleCI exposes the trigger only as the pipeline value
 * `pipeline.trigger_source`, not as an environment variable, so triggerEvent is unset too.
 */
export const circleciCollector: Collector<CiFacts> = {
  name: 'circleci',

  detect: (ctx) => ctx.env.CIRCLECI === 'true',

  async collect(ctx) {
    const buildUrl = requireHttpUrl(ctx, PLATFORM, 'CIRCLE_BUILD_URL');
    const node = parallelRunOf(ctx);
    return compactFacts({
      platform: 'circleci',
      builderId: new URL(buildUrl).origin,
      invocationId: node === undefined ? buildUrl : `${buildUrl}#node-${node}`,
      repository: repositoryUrl(envValue(ctx, 'CIRCLE_REPOSITORY_URL')),
      ref: refOf(ctx),
      commit: commitSha(envValue(ctx, 'CIRCLE_SHA1')),
      platformIds: safeIds({ ...collectIds(ctx, PLATFORM_ID_VARIABLES), node_index: node }),
    });
  },
};
