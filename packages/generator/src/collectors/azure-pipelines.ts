import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv, trimTrailingSlashes } from './ci-facts.ts';
import { commitSha, compactFacts, fullRef, repositoryUrl, requireHttpUrl, safeIds } from './ci-values.ts';

const PLATFORM = 'Azure Pipelines';

/**
 * Builder ids name the agent software (github.com/microsoft/azure-pipelines-agent) and its hosting,
 * in Azure's own words ("Microsoft-hosted agents"), as GitHub's name its runner.
 */
const AGENT_BUILDER = 'https://github.com/microsoft/azure-pipelines-agent';

/** Identifier key -> predefined variable (as environment variable: upper case, `.` -> `_`). */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  build_id: 'BUILD_BUILDID',
  build_number: 'BUILD_BUILDNUMBER',
  collection_id: 'SYSTEM_COLLECTIONID',
  definition_id: 'SYSTEM_DEFINITIONID',
  job_attempt: 'SYSTEM_JOBATTEMPT',
  job_id: 'SYSTEM_JOBID',
  project_id: 'SYSTEM_TEAMPROJECTID',
  pull_request_id: 'SYSTEM_PULLREQUEST_PULLREQUESTID',
  pull_request_number: 'SYSTEM_PULLREQUEST_PULLREQUESTNUMBER',
  repository_id: 'BUILD_REPOSITORY_ID',
  stage_attempt: 'SYSTEM_STAGEATTEMPT',
};

/** Repository providers whose Build.Repository.Uri is not a git repository (TFVC: the collection URL). */
const NOT_GIT_PROVIDERS = new Set(['TfsVersionControl', 'Svn']);

/**
 * Agent.IsSelfHosted is set by the agent itself (JobRunner: `"0"` on Microsoft-hosted agents,
 * `"1"` otherwise). It is not on the predefined-variables page, so anything else leaves the kind
 * unsaid rather than guessed.
 */
function runnerOf(ctx: CollectorContext): { builderId: string; runnerKind?: CiFacts['runnerKind'] } {
  switch (envValue(ctx, 'AGENT_ISSELFHOSTED')) {
    case '0':
      return { builderId: `${AGENT_BUILDER}/microsoft-hosted`, runnerKind: 'hosted' };
    case '1':
      return { builderId: `${AGENT_BUILDER}/self-hosted`, runnerKind: 'self-hosted' };
    default:
      return { builderId: AGENT_BUILDER };
  }
}

function repositoryOf(ctx: CollectorContext): string | undefined {
  if (NOT_GIT_PROVIDERS.has(envValue(ctx, 'BUILD_REPOSITORY_PROVIDER') ?? '')) return undefined;
  // Azure Repos URIs carry the organisation as a user name (https://fabrikam@dev.azure.com/...),
  // which repositoryUrl removes like any userinfo.
  return repositoryUrl(envValue(ctx, 'BUILD_REPOSITORY_URI'));
}

/**
 * Azure Pipelines, detected by TF_BUILD=True. Reads only predefined variables ("Use predefined
 * variables"); throws COLLECTOR_FAILED without the collection URI, project, build id, job id or job
 * attempt (a classic release, which has no build, ends here).
 *
 * invocationId is the job's log in the web UI,
 * `<collection>/<project>/_build/results?buildId=<id>&view=logs&j=<job id>&attempt=<n>`:
 * System.JobId is unique per attempt of a job, and the attempt number is spelled out for people.
 * triggerEvent is Build.Reason (`IndividualCI`, `PullRequest`, `Schedule`, `Manual`, ...); ref is
 * Build.SourceBranch, already a full ref for git (`refs/heads/...`, `refs/tags/...`,
 * `refs/pull/<n>/merge`), and ignored for TFVC paths.
 */
export const azurePipelinesCollector: Collector<CiFacts> = {
  name: 'azure-pipelines',

  detect: (ctx) => ctx.env.TF_BUILD?.toLowerCase() === 'true',

  async collect(ctx) {
    const collection = trimTrailingSlashes(requireHttpUrl(ctx, PLATFORM, 'SYSTEM_COLLECTIONURI'));
    const project = requireEnv(ctx, PLATFORM, 'SYSTEM_TEAMPROJECT');
    const buildId = requireEnv(ctx, PLATFORM, 'BUILD_BUILDID');
    const jobId = requireEnv(ctx, PLATFORM, 'SYSTEM_JOBID');
    const attempt = requireEnv(ctx, PLATFORM, 'SYSTEM_JOBATTEMPT');
    const query = new URLSearchParams({ buildId, view: 'logs', j: jobId, attempt });
    return compactFacts({
      platform: 'azure-pipelines',
      ...runnerOf(ctx),
      invocationId: `${collection}/${encodeURIComponent(project)}/_build/results?${query}`,
      triggerEvent: envValue(ctx, 'BUILD_REASON'),
      repository: repositoryOf(ctx),
      ref: fullRef(envValue(ctx, 'BUILD_SOURCEBRANCH')),
      commit: commitSha(envValue(ctx, 'BUILD_SOURCEVERSION')),
      platformIds: safeIds(collectIds(ctx, PLATFORM_ID_VARIABLES)),
    });
  },
};
