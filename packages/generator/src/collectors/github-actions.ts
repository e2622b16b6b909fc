import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv, trimTrailingSlashes } from './ci-facts.ts';

const PLATFORM = 'GitHub Actions';

/**
 * Builder ids as GitHub's own artifact attestations (actions/attest-build-provenance) write them:
 * always under https://github.com, also on GitHub Enterprise Server, since they name the runner
 * software rather than the server.
 */
export const RUNNER_BUILDER = 'https://github.com/actions/runner';

/** Identifier key -> default variable. Ids only: no actor login, no paths. */
export const PLATFORM_ID_VARIABLES: Record<string, string> = {
  actor_id: 'GITHUB_ACTOR_ID',
  job: 'GITHUB_JOB',
  repository_id: 'GITHUB_REPOSITORY_ID',
  repository_owner_id: 'GITHUB_REPOSITORY_OWNER_ID',
  run_attempt: 'GITHUB_RUN_ATTEMPT',
  run_id: 'GITHUB_RUN_ID',
  run_number: 'GITHUB_RUN_NUMBER',
  workflow: 'GITHUB_WORKFLOW',
};

/**
 * Splits GITHUB_WORKFLOW_REF (`octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main`)
 * into the workflow file path inside the repository and the ref it was loaded from. The split is at
 * the first `@` after the `owner/repo/` prefix: git refs may contain `@`, workflow file names in
 * practice do not.
 */
export function parseWorkflowRef(workflowRef: string, repository?: string): { path: string; ref?: string } {
  let rest = workflowRef;
  if (repository !== undefined && rest.startsWith(`${repository}/`)) rest = rest.slice(repository.length + 1);
  else rest = rest.split('/').slice(2).join('/'); // some other owner/repo prefix
  const at = rest.indexOf('@');
  if (at === -1) return { path: rest };
  const ref = rest.slice(at + 1);
  return ref === '' ? { path: rest.slice(0, at) } : { path: rest.slice(0, at), ref };
}

function runnerOf(ctx: CollectorContext): { builderId: string; runnerKind?: CiFacts['runnerKind'] } {
  switch (envValue(ctx, 'RUNNER_ENVIRONMENT')) {
    case 'github-hosted':
      return { builderId: `${RUNNER_BUILDER}/github-hosted`, runnerKind: 'hosted' };
    case 'self-hosted':
      return { builderId: `${RUNNER_BUILDER}/self-hosted`, runnerKind: 'self-hosted' };
    default:
      // Older runners and GHES versions do not set RUNNER_ENVIRONMENT. Claiming github-hosted would
      // overstate the build's isolation, so the builder is the runner software itself and the
      // runner kind is left unsaid.
      return { builderId: RUNNER_BUILDER };
  }
}

/**
 * GitHub Actions, detected by GITHUB_ACTIONS=true. Reads only GitHub's default variables (see
 * GitHub's "Variables reference"); throws COLLECTOR_FAILED when one needed to identify the run
 * (server URL, repository, run id, run attempt) is missing.
 */
export const githubActionsCollector: Collector<CiFacts> = {
  name: 'github-actions',

  detect: (ctx) => ctx.env.GITHUB_ACTIONS === 'true',

  async collect(ctx) {
    const server = trimTrailingSlashes(requireEnv(ctx, PLATFORM, 'GITHUB_SERVER_URL'));
    const repository = requireEnv(ctx, PLATFORM, 'GITHUB_REPOSITORY');
    const runId = requireEnv(ctx, PLATFORM, 'GITHUB_RUN_ID');
    const attempt = requireEnv(ctx, PLATFORM, 'GITHUB_RUN_ATTEMPT');
    const { builderId, runnerKind } = runnerOf(ctx);
    const triggerEvent = envValue(ctx, 'GITHUB_EVENT_NAME');
    const ref = envValue(ctx, 'GITHUB_REF');
    const commit = envValue(ctx, 'GITHUB_SHA');
    const workflowRef = envValue(ctx, 'GITHUB_WORKFLOW_REF');
    return {
      platform: 'github-actions',
      builderId,
      invocationId: `${server}/${repository}/actions/runs/${runId}/attempts/${attempt}`,
      ...(triggerEvent === undefined ? {} : { triggerEvent }),
      ...(runnerKind === undefined ? {} : { runnerKind }),
      repository: `${server}/${repository}`,
      ...(ref === undefined ? {} : { ref }),
      ...(commit === undefined ? {} : { commit }),
      ...(workflowRef === undefined ? {} : { workflow: parseWorkflowRef(workflowRef, repository) }),
      platformIds: collectIds(ctx, PLATFORM_ID_VARIABLES),
    };
  },
};
