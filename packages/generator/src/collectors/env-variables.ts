import { isSensitiveName, looksLikeSecret } from './secrets.ts';

/**
 * Variables recorded by default: ones that describe the run (platform, repository, ref, commit,
 * workflow/job and runner identifiers) or change what a build produces (locale, time zone,
 * NODE_ENV, NODE_OPTIONS, SOURCE_DATE_EPOCH). Deliberately explicit, without globs, so a new
 * platform variable is never recorded until someone has looked at it. Left out on purpose:
 * per-step paths (GITHUB_ENV, RUNNER_TEMP, ...), personal data (GITHUB_ACTOR, GITLAB_USER_EMAIL,
 * CI_COMMIT_AUTHOR), free text (commit messages, MR descriptions), and CI_REPOSITORY_URL, which
 * embeds the job token.
 */
export const DEFAULT_ENV_ALLOWLIST: readonly string[] = [
  // Build-affecting, any platform.
  'CI',
  'LANG',
  'LC_ALL',
  'NODE_ENV',
  'NODE_OPTIONS',
  'SHELL',
  'SOURCE_DATE_EPOCH',
  'TZ',
  // GitHub-hosted runner image.
  'ImageOS',
  'ImageVersion',
  // GitHub Actions.
  'GITHUB_ACTIONS',
  'GITHUB_ACTOR_ID',
  'GITHUB_BASE_REF',
  'GITHUB_EVENT_NAME',
  'GITHUB_HEAD_REF',
  'GITHUB_JOB',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_PROTECTED',
  'GITHUB_REF_TYPE',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_ID',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_REPOSITORY_OWNER_ID',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_SERVER_URL',
  'GITHUB_SHA',
  'GITHUB_WORKFLOW',
  'GITHUB_WORKFLOW_REF',
  'GITHUB_WORKFLOW_SHA',
  'RUNNER_ARCH',
  'RUNNER_ENVIRONMENT',
  'RUNNER_NAME',
  'RUNNER_OS',
  // GitLab CI.
  'GITLAB_CI',
  'CI_COMMIT_BRANCH',
  'CI_COMMIT_REF_NAME',
  'CI_COMMIT_REF_PROTECTED',
  'CI_COMMIT_SHA',
  'CI_COMMIT_TAG',
  'CI_CONFIG_PATH',
  'CI_DEFAULT_BRANCH',
  'CI_JOB_ID',
  'CI_JOB_IMAGE',
  'CI_JOB_NAME',
  'CI_JOB_STAGE',
  'CI_JOB_URL',
  'CI_MERGE_REQUEST_IID',
  'CI_MERGE_REQUEST_REF_PATH',
  'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME',
  'CI_MERGE_REQUEST_TARGET_BRANCH_NAME',
  'CI_NODE_INDEX',
  'CI_NODE_TOTAL',
  'CI_PIPELINE_ID',
  'CI_PIPELINE_IID',
  'CI_PIPELINE_SOURCE',
  'CI_PIPELINE_URL',
  'CI_PROJECT_ID',
  'CI_PROJECT_PATH',
  'CI_PROJECT_URL',
  'CI_RUNNER_EXECUTABLE_ARCH',
  'CI_RUNNER_ID',
  'CI_RUNNER_TAGS',
  'CI_RUNNER_VERSION',
  'CI_SERVER_URL',
  'CI_SERVER_VERSION',
  // Buildkite.
  'BUILDKITE',
  'BUILDKITE_BRANCH',
  'BUILDKITE_BUILD_ID',
  'BUILDKITE_BUILD_NUMBER',
  'BUILDKITE_BUILD_URL',
  'BUILDKITE_COMMIT',
  'BUILDKITE_COMPUTE_TYPE',
  'BUILDKITE_JOB_ID',
  'BUILDKITE_PIPELINE_SLUG',
  'BUILDKITE_RETRY_COUNT',
  'BUILDKITE_SOURCE',
  'BUILDKITE_TAG',
  // CircleCI.
  'CIRCLECI',
  'CIRCLE_BRANCH',
  'CIRCLE_BUILD_NUM',
  'CIRCLE_BUILD_URL',
  'CIRCLE_JOB',
  'CIRCLE_NODE_INDEX',
  'CIRCLE_NODE_TOTAL',
  'CIRCLE_PROJECT_REPONAME',
  'CIRCLE_PROJECT_USERNAME',
  'CIRCLE_SHA1',
  'CIRCLE_TAG',
  'CIRCLE_WORKFLOW_ID',
  // Jenkins.
  'BUILD_ID',
  'BUILD_NUMBER',
  'BUILD_URL',
  'JOB_NAME',
  'JENKINS_URL',
  'GIT_BRANCH',
  'GIT_COMMIT',
  // Azure Pipelines.
  'TF_BUILD',
  'AGENT_ISSELFHOSTED',
  'AGENT_OS',
  'BUILD_BUILDID',
  'BUILD_BUILDNUMBER',
  'BUILD_REASON',
  'BUILD_SOURCEBRANCH',
  'BUILD_SOURCEVERSION',
  'SYSTEM_JOBATTEMPT',
  'SYSTEM_JOBID',
  'SYSTEM_TEAMPROJECT',
  // Bitbucket Pipelines.
  'BITBUCKET_BRANCH',
  'BITBUCKET_BUILD_NUMBER',
  'BITBUCKET_COMMIT',
  'BITBUCKET_PIPELINE_UUID',
  'BITBUCKET_REPO_FULL_NAME',
  'BITBUCKET_STEP_RUN_NUMBER',
  'BITBUCKET_STEP_UUID',
  'BITBUCKET_TAG',
  // Google Cloud Build (when mapped into the step's env).
  'LOCATION',
  'PROJECT_ID',
  // AWS CodeBuild.
  'CODEBUILD_BUILD_ARN',
  'CODEBUILD_BUILD_ID',
  'CODEBUILD_BUILD_NUMBER',
  'CODEBUILD_RESOLVED_SOURCE_VERSION',
  'CODEBUILD_SOURCE_VERSION',
];

/**
 * True when `name` is on the allowlist. Entries match exactly (case-sensitive, as environment
 * names are on POSIX), or, when they end in `*`, as a prefix: `MY_APP_*` matches `MY_APP_MODE`.
 * A `*` anywhere else is literal.
 */
export function isAllowlisted(name: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
}

/** The variables part of EnvironmentFacts. */
export interface SelectedVariables {
  /** Allowlisted variables whose name and value both look harmless, keys sorted. */
  variables: Record<string, string>;
  /** Allowlisted variables withheld because the name or value looks secret: names only, sorted. */
  redactedVariables: string[];
}

/**
 * Picks the allowlisted variables out of `env`. A variable whose name is sensitive or whose value
 * looks like a secret is listed by name in `redactedVariables` and its value is not kept anywhere.
 * Variables not on the allowlist are not mentioned at all, not even by name.
 */
export function selectEnvVariables(env: Readonly<Record<string, string | undefined>>, allowlist: readonly string[]): SelectedVariables {
  const kept: Array<[string, string]> = [];
  const redactedVariables: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !isAllowlisted(name, allowlist)) continue;
    if (isSensitiveName(name) || looksLikeSecret(value)) redactedVariables.push(name);
    else kept.push([name, value]);
  }
  kept.sort(([a], [b]) => compareCodeUnits(a, b));
  redactedVariables.sort(compareCodeUnits);
  return { variables: Object.fromEntries(kept), redactedVariables };
}

/** Locale-independent ordering, so the output is byte-identical on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
