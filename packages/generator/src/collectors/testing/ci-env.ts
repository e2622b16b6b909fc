/*
 * Realistic CI environments for tests: variable names and value shapes as documented by GitHub
 * ("Variables reference", default environment variables) and GitLab ("Predefined CI/CD variables
 * reference"). Secret-bearing variables are included on purpose, with fake values, so tests can
 * assert those values never come out. The fake tokens are assembled at load time so that no
 * complete token-shaped literal sits in the source for secret scanners to trip on.
 */

/** A fake GitHub installation token (right shape, not a credential). */
export const FAKE_GITHUB_TOKEN = `ghs_${'Fak3T0kenN0tReal'.repeat(3).slice(0, 36)}`;
/** A fake GitLab CI job token. */
export const FAKE_GITLAB_JOB_TOKEN = `glcbt-${'64_fAk3J0bT0k3n'.repeat(2)}`;
/** A fake OIDC request bearer token (GitHub hands out a JWT). */
export const FAKE_OIDC_REQUEST_TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJmYWtlIjoidHJ1ZSJ9.${'c2lnbmF0dXJl'.repeat(3)}`;

/** Every fake secret value above, for "never appears in the output" assertions. */
export const FAKE_SECRETS: readonly string[] = [FAKE_GITHUB_TOKEN, FAKE_GITLAB_JOB_TOKEN, FAKE_OIDC_REQUEST_TOKEN];

/** A push of tag v1.2.0 built on a GitHub-hosted runner on github.com. */
export const GITHUB_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_ACTION: '__run_2',
  GITHUB_ACTOR: 'octocat',
  GITHUB_ACTOR_ID: '583231',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_ENV: '/home/runner/work/_temp/_runner_file_commands/set_env_87406d6e-4979-4d42-98e1-3dab1f48b13a',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_EVENT_PATH: '/home/runner/work/_temp/_github_workflow/event.json',
  GITHUB_JOB: 'build',
  GITHUB_REF: 'refs/tags/v1.2.0',
  GITHUB_REF_NAME: 'v1.2.0',
  GITHUB_REF_PROTECTED: 'false',
  GITHUB_REF_TYPE: 'tag',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_REPOSITORY_ID: '123456789',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_REPOSITORY_OWNER_ID: '9919',
  GITHUB_RETENTION_DAYS: '90',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_RUN_ID: '1658821493',
  GITHUB_RUN_NUMBER: '3',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
  GITHUB_TRIGGERING_ACTOR: 'octocat',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  GITHUB_WORKFLOW_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
  GITHUB_WORKSPACE: '/home/runner/work/octo-repo/octo-repo',
  ImageOS: 'ubuntu24',
  ImageVersion: '20250105.1.0',
  RUNNER_ARCH: 'X64',
  RUNNER_ENVIRONMENT: 'github-hosted',
  RUNNER_NAME: 'GitHub Actions 1000000012',
  RUNNER_OS: 'Linux',
  RUNNER_TEMP: '/home/runner/work/_temp',
  RUNNER_TOOL_CACHE: '/opt/hostedtoolcache',
  HOME: '/home/runner',
  PATH: '/opt/hostedtoolcache/node/24.1.0/x64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
  SHELL: '/bin/bash',
  // Secrets a release workflow commonly exposes to the step that generates provenance.
  GITHUB_TOKEN: FAKE_GITHUB_TOKEN,
  NODE_AUTH_TOKEN: FAKE_GITHUB_TOKEN,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: FAKE_OIDC_REQUEST_TOKEN,
  ACTIONS_ID_TOKEN_REQUEST_URL:
    'https://pipelinesghubeus6.actions.githubusercontent.com/abc/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/def/jobs/ghi/idtoken?api-version=2.0',
  ACTIONS_RUNTIME_TOKEN: FAKE_OIDC_REQUEST_TOKEN,
};

/** A branch pipeline on a GitLab.com hosted runner (docker+machine executor). */
export const GITLAB_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  GITLAB_CI: 'true',
  CI_SERVER: 'yes',
  CI_SERVER_URL: 'https://gitlab.com',
  CI_SERVER_HOST: 'gitlab.com',
  CI_SERVER_VERSION: '17.8.0-pre',
  CI_API_V4_URL: 'https://gitlab.com/api/v4',
  CI_PROJECT_ID: '278964',
  CI_PROJECT_PATH: 'gitlab-org/gitlab-runner',
  CI_PROJECT_URL: 'https://gitlab.com/gitlab-org/gitlab-runner',
  CI_PROJECT_DIR: '/builds/gitlab-org/gitlab-runner',
  CI_PIPELINE_ID: '1590845675',
  CI_PIPELINE_IID: '98765',
  CI_PIPELINE_SOURCE: 'push',
  CI_PIPELINE_URL: 'https://gitlab.com/gitlab-org/gitlab-runner/-/pipelines/1590845675',
  CI_JOB_ID: '8812345678',
  CI_JOB_NAME: 'build:linux',
  CI_JOB_STAGE: 'build',
  CI_JOB_URL: 'https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/8812345678',
  CI_JOB_IMAGE: 'registry.gitlab.com/gitlab-org/gitlab-build-images:golang-1.23',
  CI_COMMIT_SHA: '1ecfd275763eff1d6b4844ea3168962458c9f27a',
  CI_COMMIT_SHORT_SHA: '1ecfd275',
  CI_COMMIT_BEFORE_SHA: '0000000000000000000000000000000000000000',
  CI_COMMIT_BRANCH: 'main',
  CI_COMMIT_REF_NAME: 'main',
  CI_COMMIT_REF_SLUG: 'main',
  CI_COMMIT_REF_PROTECTED: 'true',
  CI_COMMIT_AUTHOR: 'Jane Doe <jane@example.com>',
  CI_COMMIT_MESSAGE: 'Fix flaky test\n',
  CI_DEFAULT_BRANCH: 'main',
  CI_CONFIG_PATH: '.gitlab-ci.yml',
  CI_RUNNER_ID: '12270831',
  CI_RUNNER_DESCRIPTION: '3-blue.saas-linux-small-amd64.runners-manager.gitlab.com/default',
  CI_RUNNER_TAGS: '["gitlab-org", "saas-linux-small-amd64"]',
  CI_RUNNER_VERSION: '17.7.0~pre.103.g896916a8',
  CI_RUNNER_REVISION: '896916a8',
  CI_RUNNER_EXECUTABLE_ARCH: 'linux/amd64',
  CI_NODE_TOTAL: '1',
  GITLAB_USER_ID: '1234567',
  GITLAB_USER_LOGIN: 'jdoe',
  GITLAB_USER_EMAIL: 'jane@example.com',
  // Secret-bearing predefined variables.
  CI_JOB_TOKEN: FAKE_GITLAB_JOB_TOKEN,
  CI_REGISTRY_USER: 'gitlab-ci-token',
  CI_REGISTRY_PASSWORD: FAKE_GITLAB_JOB_TOKEN,
  CI_REPOSITORY_URL: `https://gitlab-ci-token:${FAKE_GITLAB_JOB_TOKEN}@gitlab.com/gitlab-org/gitlab-runner.git`,
  CI_RUNNER_SHORT_TOKEN: 'glrt-abcdef12',
  CI_DEPENDENCY_PROXY_PASSWORD: FAKE_GITLAB_JOB_TOKEN,
};
