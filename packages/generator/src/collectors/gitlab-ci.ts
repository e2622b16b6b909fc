import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv, trimTrailingSlashes } from './ci-facts.ts';

const PLATFORM = 'GitLab CI';

/** Identifier key -> predefined variable. */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  job_id: 'CI_JOB_ID',
  pipeline_id: 'CI_PIPELINE_ID',
  project_id: 'CI_PROJECT_ID',
  project_path: 'CI_PROJECT_PATH',
  runner_id: 'CI_RUNNER_ID',
};

/**
 * The full ref being built: a tag pipeline has CI_COMMIT_TAG, a branch pipeline CI_COMMIT_BRANCH,
 * and a merge request pipeline (which has neither) CI_MERGE_REQUEST_REF_PATH, e.g.
 * `refs/merge-requests/1/head`.
 */
function refOf(ctx: CollectorContext): string | undefined {
  const tag = envValue(ctx, 'CI_COMMIT_TAG');
  if (tag !== undefined) return `refs/tags/${tag}`;
  const branch = envValue(ctx, 'CI_COMMIT_BRANCH');
  if (branch !== undefined) return `refs/heads/${branch}`;
  return envValue(ctx, 'CI_MERGE_REQUEST_REF_PATH');
}

/**
 * GitLab CI, detected by GITLAB_CI=true. Reads only predefined variables (see GitLab's "Predefined
 * CI/CD variables reference"); throws COLLECTOR_FAILED when one needed to identify the run is
 * missing.
 *
 * builderId has the form GitLab's own runner-generated SLSA provenance uses,
 * `<server>/<project path>/-/runners/<runner id>`. invocationId is CI_JOB_URL: job ids are unique
 * across the instance and a retry is a new job, so no attempt number is needed.
 *
 * runnerKind is never set: GitLab exposes whether a runner is GitLab-hosted only as the
 * `runner_environment` claim of CI ID tokens, not as a predefined variable, and guessing from
 * runner descriptions or tags would let any self-managed runner pass as hosted.
 */
export const gitlabCiCollector: Collector<CiFacts> = {
  name: 'gitlab-ci',

  detect: (ctx) => ctx.env.GITLAB_CI === 'true',

  async collect(ctx) {
    const server = trimTrailingSlashes(requireEnv(ctx, PLATFORM, 'CI_SERVER_URL'));
    const projectPath = requireEnv(ctx, PLATFORM, 'CI_PROJECT_PATH');
    const runnerId = requireEnv(ctx, PLATFORM, 'CI_RUNNER_ID');
    const jobUrl = requireEnv(ctx, PLATFORM, 'CI_JOB_URL');
    const triggerEvent = envValue(ctx, 'CI_PIPELINE_SOURCE');
    const repository = envValue(ctx, 'CI_PROJECT_URL');
    const ref = refOf(ctx);
    const commit = envValue(ctx, 'CI_COMMIT_SHA');
    const configPath = envValue(ctx, 'CI_CONFIG_PATH');
    return {
      platform: 'gitlab-ci',
      builderId: `${server}/${projectPath}/-/runners/${runnerId}`,
      invocationId: jobUrl,
      ...(triggerEvent === undefined ? {} : { triggerEvent }),
      ...(repository === undefined ? {} : { repository }),
      ...(ref === undefined ? {} : { ref }),
      ...(commit === undefined ? {} : { commit }),
      ...(configPath === undefined ? {} : { workflow: { path: configPath } }),
      platformIds: collectIds(ctx, PLATFORM_ID_VARIABLES),
    };
  },
};
