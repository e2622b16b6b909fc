import { ProvenantError } from '@provenant/core';
import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv } from './ci-facts.ts';
import { branchRef, commitSha, compactFacts, safeIds, tagRef } from './ci-values.ts';

const PLATFORM = 'Bitbucket Pipelines';

/** Bitbucket Pipelines runs only on Bitbucket Cloud, so its URLs are all on bitbucket.org. */
const BITBUCKET = 'https://bitbucket.org';

/**
 * The product page of Bitbucket Pipelines. Not `bitbucket.org/pipelines`, which would read as the
 * URL of a workspace called "pipelines".
 */
const BUILDER_ID = `${BITBUCKET}/product/features/pipelines`;

/** Identifier key -> default variable. UUIDs keep Bitbucket's braces. */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  build_number: 'BITBUCKET_BUILD_NUMBER',
  deployment_environment_uuid: 'BITBUCKET_DEPLOYMENT_ENVIRONMENT_UUID',
  pipeline_uuid: 'BITBUCKET_PIPELINE_UUID',
  pr_id: 'BITBUCKET_PR_ID',
  project_uuid: 'BITBUCKET_PROJECT_UUID',
  repo_uuid: 'BITBUCKET_REPO_UUID',
  step_run_number: 'BITBUCKET_STEP_RUN_NUMBER',
  step_uuid: 'BITBUCKET_STEP_UUID',
};

/** `<workspace>/<repo slug>`: slugs are letters, digits, `-`, `_` and `.`. */
const FULL_NAME = /^[\w.-]+\/[\w.-]+$/;

/** Tags have BITBUCKET_TAG and no branch; branch and pull-request pipelines have the (source) branch. */
function refOf(ctx: CollectorContext): string | undefined {
  const tag = envValue(ctx, 'BITBUCKET_TAG');
  return tag === undefined ? branchRef(envValue(ctx, 'BITBUCKET_BRANCH')) : tagRef(tag);
}

/**
 * Bitbucket Pipelines, detected by BITBUCKET_BUILD_NUMBER. Reads only the default variables of
 * "Variables and secrets"; throws COLLECTOR_FAILED without BITBUCKET_REPO_FULL_NAME,
 * BITBUCKET_BUILD_NUMBER or BITBUCKET_STEP_UUID.
 *
 * invocationId is the step's result page,
 * `https://bitbucket.org/<workspace>/<repo>/pipelines/results/<build number>/steps/<step uuid>`,
 * with `#run-<n>` from BITBUCKET_STEP_RUN_NUMBER: rerunning failed steps keeps the pipeline and
 * counts the runs, and whether a rerun gets a new step UUID is not documented.
 *
 * repository is `https://bitbucket.org/<BITBUCKET_REPO_FULL_NAME>`: BITBUCKET_GIT_HTTP_ORIGIN is
 * documented (and set) with `http://`. runnerKind is never set: no default variable tells
 * Atlassian's cloud runtime from a self-hosted runner (`runs-on: self.hosted` is step
 * configuration, not an environment variable). Nor does one name the pipeline's trigger or type
 * (branches, tags, pull-requests, custom), so triggerEvent is unset; BITBUCKET_PR_ID is recorded.
 */
export const bitbucketPipelinesCollector: Collector<CiFacts> = {
  name: 'bitbucket-pipelines',

  detect: (ctx) => envValue(ctx, 'BITBUCKET_BUILD_NUMBER') !== undefined,

  async collect(ctx) {
    const fullName = requireEnv(ctx, PLATFORM, 'BITBUCKET_REPO_FULL_NAME');
    if (!FULL_NAME.test(fullName)) {
      throw new ProvenantError('COLLECTOR_FAILED', `${PLATFORM}: BITBUCKET_REPO_FULL_NAME is not <workspace>/<repository>; cannot identify the run`);
    }
    const repository = `${BITBUCKET}/${fullName}`;
    const buildNumber = requireEnv(ctx, PLATFORM, 'BITBUCKET_BUILD_NUMBER');
    const step = requireEnv(ctx, PLATFORM, 'BITBUCKET_STEP_UUID');
    const run = envValue(ctx, 'BITBUCKET_STEP_RUN_NUMBER');
    const stepUrl = `${repository}/pipelines/results/${encodeURIComponent(buildNumber)}/steps/${encodeURIComponent(step)}`;
    return compactFacts({
      platform: 'bitbucket-pipelines',
      builderId: BUILDER_ID,
      invocationId: run === undefined ? stepUrl : `${stepUrl}#run-${run}`,
      repository,
      ref: refOf(ctx),
      commit: commitSha(envValue(ctx, 'BITBUCKET_COMMIT')),
      platformIds: safeIds(collectIds(ctx, PLATFORM_ID_VARIABLES)),
    });
  },
};
