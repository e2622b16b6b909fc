/*
 * Realistic CI environments for tests: variable names and value shapes as documented by each
 * platform (GitHub "Variables reference", GitLab "Predefined CI/CD variables reference", and the
 * pages docs/ci-platforms.md cites for the others). Secret-bearing variables are included on
 * purpose, with fake values, so tests can assert those values never come out. The fake tokens are
 * assembled at load time so that no complete token-shaped literal sits in the source for secret
 * scanners to trip on.
 */

/** A fake GitHub installation token (right shape, not a credential). */
export const FAKE_GITHUB_TOKEN = `ghs_${'Fak3T0kenN0tReal'.repeat(3).slice(0, 36)}`;
/** A fake GitLab CI job token. */
export const FAKE_GITLAB_JOB_TOKEN = `glcbt-${'64_fAk3J0bT0k3n'.repeat(2)}`;
/** A fake OIDC request bearer token (GitHub hands out a JWT). */
export const FAKE_OIDC_REQUEST_TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJmYWtlIjoidHJ1ZSJ9.${'c2lnbmF0dXJl'.repeat(3)}`;

/** A fake Buildkite agent session token (64 hex characters, as Buildkite documents it). */
export const FAKE_BUILDKITE_AGENT_TOKEN = '83d5fa4e'.repeat(8);
/** A fake AWS access key id and secret access key (AKIA + 16, and 40 characters). */
export const FAKE_AWS_ACCESS_KEY_ID = `AKIA${'FAKEKEY0'.repeat(2)}`;
export const FAKE_AWS_SECRET_ACCESS_KEY = `${'wJalrXUtnFEMI'.repeat(3)}K`;
/** A fake AWS session token (long base64). */
export const FAKE_AWS_SESSION_TOKEN = `IQoJb3JpZ2luX2Vj${'EHwaCXVzLWVhc3QtMSJHMEUCIQ'.repeat(6)}`;
/** A fake npm automation token. */
export const FAKE_NPM_TOKEN = `npm_${'F4keNpmT0ken'.repeat(3)}`;
/** A fake Azure DevOps job access token (System.AccessToken is a JWT). */
export const FAKE_AZURE_ACCESS_TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6ImF6dXJlIn0.${'ZmFrZWF6dXJl'.repeat(4)}.${'c2lnbmF0dXJl'.repeat(4)}`;
/** A fake CI OIDC identity token (CircleCI, Bitbucket: a signed JWT). */
export const FAKE_CI_OIDC_TOKEN = `eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ.${'eyJhdWQiOiJmYWtlIn0'.repeat(3)}.${'c2lnbmF0dXJl'.repeat(5)}`;
/** A fake personal access token for a git host, as people paste into clone URLs. */
export const FAKE_GIT_PASSWORD = `ghp_${'F4keP4tN0tR3al'.repeat(3).slice(0, 36)}`;

/** Every fake secret value above, for "never appears in the output" assertions. */
export const FAKE_SECRETS: readonly string[] = [
  FAKE_GITHUB_TOKEN,
  FAKE_GITLAB_JOB_TOKEN,
  FAKE_OIDC_REQUEST_TOKEN,
  FAKE_BUILDKITE_AGENT_TOKEN,
  FAKE_AWS_ACCESS_KEY_ID,
  FAKE_AWS_SECRET_ACCESS_KEY,
  FAKE_AWS_SESSION_TOKEN,
  FAKE_NPM_TOKEN,
  FAKE_AZURE_ACCESS_TOKEN,
  FAKE_CI_OIDC_TOKEN,
  FAKE_GIT_PASSWORD,
];

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

/**
 * A tag push (GitHub webhook) of acme-corp/awesome-logger on a Buildkite hosted agent. Names and
 * shapes from Buildkite's "Environment variables" page (data/content/environment_variables.yaml in
 * buildkite/docs); ids follow the example of Buildkite's own provenance plugin.
 */
export const BUILDKITE_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  BUILDKITE: 'true',
  BUILDKITE_AGENT_ENDPOINT: 'https://agent.buildkite.com/v3',
  BUILDKITE_AGENT_ID: '0192533e-2074-48fc-aac5-d96b3b85eddd',
  BUILDKITE_AGENT_META_DATA_QUEUE: 'linux-small',
  BUILDKITE_AGENT_NAME: 'hosted-linux-small-0192533e',
  BUILDKITE_AGENT_PID: '6',
  BUILDKITE_BIN_PATH: '/usr/local/bin',
  // A GitHub tag push also puts the tag name in BUILDKITE_BRANCH.
  BUILDKITE_BRANCH: 'v1.6.0',
  BUILDKITE_BUILD_AUTHOR: 'Carol Danvers',
  BUILDKITE_BUILD_AUTHOR_EMAIL: 'cdanvers@example.com',
  BUILDKITE_BUILD_CHECKOUT_PATH: '/var/lib/buildkite-agent/builds/hosted-linux-small-0192533e/acme-corp/awesome-logger',
  BUILDKITE_BUILD_CREATOR: 'Carol Danvers',
  BUILDKITE_BUILD_CREATOR_EMAIL: 'cdanvers@example.com',
  BUILDKITE_BUILD_CREATOR_TEAMS: 'everyone:platform',
  BUILDKITE_BUILD_ID: '01919c03-1f85-4b3f-9594-2986d23b14c4',
  BUILDKITE_BUILD_NUMBER: '49387',
  BUILDKITE_BUILD_URL: 'https://buildkite.com/acme-corp/awesome-logger/builds/49387',
  BUILDKITE_CLUSTER_ID: '4735ba57-80d0-46e2-8fa0-b28223a86586',
  BUILDKITE_COMMAND: 'gem build awesome-logger.gemspec',
  BUILDKITE_COMMIT: '2b4ba8fe79386d40ce27dc5f6cc4161a0f598cc2',
  BUILDKITE_COMPUTE_TYPE: 'hosted',
  BUILDKITE_GITHUB_EVENT: 'push',
  BUILDKITE_JOB_ID: '01919c03-1f99-4e5e-a0f8-75f7571c8fbc',
  BUILDKITE_LABEL: ':gem: Build gem',
  BUILDKITE_MESSAGE: 'Release v1.6.0',
  BUILDKITE_ORGANIZATION_ID: '019033f0-0b83-41d7-a327-def5f678906c',
  BUILDKITE_ORGANIZATION_SLUG: 'acme-corp',
  BUILDKITE_PIPELINE_DEFAULT_BRANCH: 'main',
  BUILDKITE_PIPELINE_ID: '01919c01-132f-46f1-803f-2efc0c444af7',
  BUILDKITE_PIPELINE_NAME: 'awesome-logger',
  BUILDKITE_PIPELINE_PROVIDER: 'github',
  BUILDKITE_PIPELINE_SLUG: 'awesome-logger',
  BUILDKITE_PULL_REQUEST: 'false',
  BUILDKITE_PULL_REQUEST_BASE_BRANCH: '',
  BUILDKITE_PULL_REQUEST_REPO: '',
  BUILDKITE_REBUILT_FROM_BUILD_ID: '',
  BUILDKITE_REBUILT_FROM_BUILD_NUMBER: '',
  BUILDKITE_REPO: 'git@github.com:acme-corp/awesome-logger.git',
  BUILDKITE_RETRY_COUNT: '0',
  BUILDKITE_SOURCE: 'webhook',
  BUILDKITE_STEP_ID: '01919c03-1f78-4951-bf28-6b0e293ab2bd',
  BUILDKITE_STEP_KEY: 'build-gem',
  BUILDKITE_TAG: 'v1.6.0',
  BUILDKITE_TIMEOUT: 'false',
  BUILDKITE_TRIGGERED_FROM_BUILD_ID: '',
  BUILDKITE_TRIGGERED_FROM_BUILD_NUMBER: '',
  BUILDKITE_TRIGGERED_FROM_BUILD_PIPELINE_SLUG: '',
  HOME: '/var/lib/buildkite-agent',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  // Secret-bearing: the agent session token, and S3 credentials an environment hook exports.
  BUILDKITE_AGENT_ACCESS_TOKEN: FAKE_BUILDKITE_AGENT_TOKEN,
  BUILDKITE_S3_ACCESS_KEY_ID: FAKE_AWS_ACCESS_KEY_ID,
  BUILDKITE_S3_SECRET_ACCESS_KEY: FAKE_AWS_SECRET_ACCESS_KEY,
  NPM_TOKEN: FAKE_NPM_TOKEN,
};

/**
 * A branch push of acme/widget on CircleCI cloud (GitHub OAuth project, docker executor), from
 * CircleCI's "Project values and variables" built-in environment variables.
 */
export const CIRCLECI_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  CIRCLECI: 'true',
  CIRCLE_BRANCH: 'main',
  CIRCLE_BUILD_NUM: '4512',
  CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/widget/4512',
  CIRCLE_JOB: 'build',
  CIRCLE_NODE_INDEX: '0',
  CIRCLE_NODE_TOTAL: '1',
  CIRCLE_ORGANIZATION_ID: '6f1b3c7e-2d4a-4e8b-9c0d-1a2b3c4d5e6f',
  CIRCLE_PIPELINE_ID: '4e1ffd3b-c260-43db-a66c-8766eaf7fc88',
  CIRCLE_PROJECT_ID: '8a1c4b2d-3e5f-4a6b-8c7d-9e0f1a2b3c4d',
  CIRCLE_PROJECT_REPONAME: 'widget',
  CIRCLE_PROJECT_USERNAME: 'acme',
  CIRCLE_REPOSITORY_URL: 'git@github.com:acme/widget.git',
  CIRCLE_SHA1: 'bd30f3432228f499bb6bc8418da43982c21dcaa3',
  CIRCLE_USERNAME: 'jdoe',
  CIRCLE_WORKFLOW_ID: '9a956048-86ba-436a-aac0-9cd461ae266a',
  CIRCLE_WORKFLOW_JOB_ID: '3f2f5fdd-8287-4036-8dac-af16268664dc',
  CIRCLE_WORKFLOW_WORKSPACE_ID: '9a956048-86ba-436a-aac0-9cd461ae266a',
  CIRCLE_WORKING_DIRECTORY: '~/project',
  CIRCLE_INTERNAL_TASK_DATA: '/.circleci-task-data',
  CIRCLE_SHELL_ENV: '/tmp/.bash_env-5e16006c28d1c239373d4fd9-0-build',
  HOME: '/home/circleci',
  PATH: '/home/circleci/.npm-global/bin:/usr/local/bin:/usr/bin:/bin',
  // Secret-bearing: CircleCI's OIDC tokens (jobs that use a context) and a project variable.
  CIRCLE_OIDC_TOKEN: FAKE_CI_OIDC_TOKEN,
  CIRCLE_OIDC_TOKEN_V2: FAKE_CI_OIDC_TOKEN,
  NPM_TOKEN: FAKE_NPM_TOKEN,
};

/**
 * Build #42 of the `main` branch job of a multibranch pipeline (GitHub branch source) on an agent
 * node. Core variables from Jenkins' env-vars.html, GIT_* from the Git plugin.
 */
export const JENKINS_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  JENKINS_URL: 'https://ci.example.com/',
  HUDSON_URL: 'https://ci.example.com/',
  JENKINS_HOME: '/var/jenkins_home',
  BUILD_ID: '42',
  BUILD_NUMBER: '42',
  BUILD_DISPLAY_NAME: '#42',
  BUILD_TAG: 'jenkins-acme-widget-main-42',
  BUILD_URL: 'https://ci.example.com/job/acme/job/widget/job/main/42/',
  JOB_NAME: 'acme/widget/main',
  JOB_BASE_NAME: 'main',
  JOB_URL: 'https://ci.example.com/job/acme/job/widget/job/main/',
  JOB_DISPLAY_URL: 'https://ci.example.com/job/acme/job/widget/job/main/display/redirect',
  RUN_DISPLAY_URL: 'https://ci.example.com/job/acme/job/widget/job/main/42/display/redirect',
  EXECUTOR_NUMBER: '1',
  NODE_NAME: 'linux-agent-1',
  NODE_LABELS: 'docker linux linux-agent-1',
  WORKSPACE: '/home/jenkins/agent/workspace/acme_widget_main',
  BRANCH_NAME: 'main',
  BRANCH_IS_PRIMARY: 'true',
  GIT_BRANCH: 'main',
  GIT_COMMIT: 'df2e37a99a4f7a96793614d0c17f2912b4967ca1',
  GIT_PREVIOUS_COMMIT: '08d9a22a56672004193417d7e1c0ee0299c5b3a1',
  GIT_PREVIOUS_SUCCESSFUL_COMMIT: '08d9a22a56672004193417d7e1c0ee0299c5b3a1',
  GIT_URL: 'https://github.com/acme/widget.git',
  HOME: '/home/jenkins',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  // Secret-bearing: the Git plugin's gitUsernamePassword binding and a withCredentials token.
  GIT_USERNAME: 'acme-ci',
  GIT_PASSWORD: FAKE_GIT_PASSWORD,
  NPM_TOKEN: FAKE_NPM_TOKEN,
};

/**
 * A YAML pipeline run for tag v2.0.0 of a GitHub repository on a Microsoft-hosted agent, in an Azure
 * DevOps project whose name has a space. Names from "Use predefined variables" (Agent.*, Build.*,
 * System.*, as environment variables: upper case, `.` -> `_`); AGENT_ISSELFHOSTED is set by the agent
 * (`"0"` Microsoft-hosted, `"1"` self-hosted; microsoft/azure-pipelines-agent JobRunner.cs).
 */
export const AZURE_PIPELINES_ENV: Readonly<Record<string, string>> = {
  TF_BUILD: 'True',
  AGENT_BUILDDIRECTORY: '/home/vsts/work/1',
  AGENT_HOMEDIRECTORY: '/home/vsts/agents/4.248.0',
  AGENT_ID: '9',
  AGENT_ISSELFHOSTED: '0',
  AGENT_JOBNAME: 'Build',
  AGENT_JOBSTATUS: 'Succeeded',
  AGENT_MACHINENAME: 'fv-az1234-567',
  AGENT_NAME: 'Azure Pipelines 3',
  AGENT_OS: 'Linux',
  AGENT_OSARCHITECTURE: 'X64',
  AGENT_TEMPDIRECTORY: '/home/vsts/work/_temp',
  BUILD_BUILDID: '1430',
  BUILD_BUILDNUMBER: '20250105.3',
  BUILD_BUILDURI: 'vstfs:///Build/Build/1430',
  BUILD_DEFINITIONNAME: 'widget-release',
  BUILD_DEFINITIONVERSION: '12',
  BUILD_QUEUEDBY: 'GitHub',
  BUILD_REASON: 'IndividualCI',
  BUILD_REPOSITORY_ID: 'acme/widget',
  BUILD_REPOSITORY_NAME: 'acme/widget',
  BUILD_REPOSITORY_PROVIDER: 'GitHub',
  BUILD_REPOSITORY_URI: 'https://github.com/acme/widget',
  BUILD_REQUESTEDFOR: 'Jane Doe',
  BUILD_REQUESTEDFOREMAIL: 'jane@example.com',
  BUILD_REQUESTEDFORID: 'c2d1a8e4-1f3b-4b6a-9c8d-7e6f5a4b3c2d',
  BUILD_SOURCEBRANCH: 'refs/tags/v2.0.0',
  BUILD_SOURCEBRANCHNAME: 'v2.0.0',
  BUILD_SOURCESDIRECTORY: '/home/vsts/work/1/s',
  BUILD_SOURCEVERSION: 'ce9a3c1404e8c91be604088670e93434c4253f03',
  BUILD_SOURCEVERSIONMESSAGE: 'Release 2.0.0',
  PIPELINE_WORKSPACE: '/home/vsts/work/1',
  SYSTEM_COLLECTIONID: '6c6f3423-1c84-4625-995a-f7f143a1e43d',
  SYSTEM_COLLECTIONURI: 'https://dev.azure.com/fabrikam/',
  SYSTEM_DEFINITIONID: '17',
  SYSTEM_HOSTTYPE: 'build',
  SYSTEM_JOBATTEMPT: '1',
  SYSTEM_JOBDISPLAYNAME: 'Build',
  SYSTEM_JOBID: '12f1170f-54f2-53f3-20dd-22fc7dff55f9',
  SYSTEM_JOBNAME: 'Build',
  SYSTEM_PHASEATTEMPT: '1',
  SYSTEM_STAGEATTEMPT: '1',
  SYSTEM_STAGENAME: 'Release',
  SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: 'https://dev.azure.com/fabrikam/',
  SYSTEM_TEAMPROJECT: 'Widget Platform',
  SYSTEM_TEAMPROJECTID: '0f3c1a4e-7b2d-4c9e-8a1f-2b3c4d5e6f70',
  SYSTEM_PULLREQUEST_ISFORK: 'False',
  HOME: '/home/vsts',
  // Secret-bearing: System.AccessToken mapped into the step (`env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`).
  SYSTEM_ACCESSTOKEN: FAKE_AZURE_ACCESS_TOKEN,
  NPM_TOKEN: FAKE_NPM_TOKEN,
};

/**
 * A branch pipeline of acme/widget on Bitbucket Cloud, from "Variables and secrets" (default
 * variables). Bitbucket UUIDs come in braces.
 */
export const BITBUCKET_ENV: Readonly<Record<string, string>> = {
  CI: 'true',
  BITBUCKET_BUILD_NUMBER: '318',
  BITBUCKET_CLONE_DIR: '/opt/atlassian/pipelines/agent/build',
  BITBUCKET_COMMIT: '7e1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  BITBUCKET_WORKSPACE: 'acme',
  BITBUCKET_REPO_SLUG: 'widget',
  BITBUCKET_REPO_UUID: '{6d9f8a2e-3b1c-4d5e-9f0a-1b2c3d4e5f60}',
  BITBUCKET_REPO_FULL_NAME: 'acme/widget',
  BITBUCKET_BRANCH: 'main',
  BITBUCKET_GIT_HTTP_ORIGIN: 'http://bitbucket.org/acme/widget',
  BITBUCKET_GIT_SSH_ORIGIN: 'git@bitbucket.org:acme/widget.git',
  BITBUCKET_PIPELINE_UUID: '{0b5c9f3e-8a7d-4e6f-b1c2-d3e4f5a6b7c8}',
  BITBUCKET_STEP_UUID: '{a1b2c3d4-e5f6-4789-8abc-def012345678}',
  BITBUCKET_STEP_RUN_NUMBER: '1',
  BITBUCKET_STEP_TRIGGERER_UUID: '{deadbeef-cafe-1234-5678-abcdef012345}',
  BITBUCKET_PROJECT_KEY: 'WID',
  BITBUCKET_PROJECT_UUID: '{3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f}',
  BITBUCKET_SSH_KEY_FILE: '/opt/atlassian/pipelines/agent/ssh/id_rsa',
  HOME: '/root',
  // Secret-bearing: the step's OIDC token (steps with `oidc: true`) and a secured variable.
  BITBUCKET_STEP_OIDC_TOKEN: FAKE_CI_OIDC_TOKEN,
  NPM_TOKEN: FAKE_NPM_TOKEN,
};

/**
 * A build of tag v3.1.0 started by a GitHub trigger, with `options: automapSubstitutions: true`
 * so that the default substitutions of "Substituting variable values" reach the step as
 * environment variables (Cloud Build sets none of them otherwise). Empty substitutions (BRANCH_NAME
 * on a tag build) are mapped as empty strings.
 */
export const CLOUD_BUILD_ENV: Readonly<Record<string, string>> = {
  BUILDER_OUTPUT: '/builder/outputs',
  HOME: '/builder/home',
  PROJECT_ID: 'acme-prod',
  PROJECT_NUMBER: '123456789012',
  BUILD_ID: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
  LOCATION: 'us-central1',
  TRIGGER_NAME: 'widget-release',
  COMMIT_SHA: '5d2ad1f8e4c3b2a190817263544536271809abcd',
  REVISION_ID: '5d2ad1f8e4c3b2a190817263544536271809abcd',
  SHORT_SHA: '5d2ad1f',
  REPO_NAME: 'widget',
  REPO_FULL_NAME: 'acme/widget',
  BRANCH_NAME: '',
  TAG_NAME: 'v3.1.0',
  REF_NAME: 'v3.1.0',
  TRIGGER_BUILD_CONFIG_PATH: 'cloudbuild.yaml',
  SERVICE_ACCOUNT_EMAIL: 'builder@acme-prod.iam.gserviceaccount.com',
  SERVICE_ACCOUNT: 'projects/acme-prod/serviceAccounts/builder@acme-prod.iam.gserviceaccount.com',
  // Secret-bearing: a Secret Manager secret exposed through the step's secretEnv.
  NPM_TOKEN: FAKE_NPM_TOKEN,
};

/**
 * A GitHub webhook build of tag v4.0.0 in project widget-release, from "Environment variables in
 * build environments". The container credentials endpoint is what CodeBuild gives the AWS SDKs;
 * the static keys are what a build exports after assuming a role.
 */
export const CODEBUILD_ENV: Readonly<Record<string, string>> = {
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:us-east-1:123456789012:build/widget-release:b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
  CODEBUILD_BUILD_ID: 'widget-release:b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
  CODEBUILD_BUILD_IMAGE: 'aws/codebuild/standard:7.0',
  CODEBUILD_BUILD_NUMBER: '57',
  CODEBUILD_BUILD_SUCCEEDING: '1',
  CODEBUILD_INITIATOR: 'GitHub-Hookshot/8a1b2c3',
  CODEBUILD_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:alias/aws/s3',
  CODEBUILD_LOG_PATH: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
  CODEBUILD_RESOLVED_SOURCE_VERSION: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  CODEBUILD_SOURCE_REPO_URL: 'https://github.com/acme/widget.git',
  CODEBUILD_SOURCE_VERSION: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  CODEBUILD_SRC_DIR: '/codebuild/output/src123456789/src/github.com/acme/widget',
  CODEBUILD_START_TIME: '1736078400000',
  CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID: '583231',
  CODEBUILD_WEBHOOK_BASE_REF: '',
  CODEBUILD_WEBHOOK_EVENT: 'PUSH',
  CODEBUILD_WEBHOOK_HEAD_REF: 'refs/tags/v4.0.0',
  CODEBUILD_WEBHOOK_PREV_COMMIT: '0000000000000000000000000000000000000000',
  CODEBUILD_WEBHOOK_TRIGGER: 'tag/v4.0.0',
  HOME: '/root',
  // Secret-bearing: the credentials endpoint path, and keys exported after `aws sts assume-role`.
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/5f1f0c8e-3a2b-4c1d-9e8f-7a6b5c4d3e2f',
  AWS_ACCESS_KEY_ID: FAKE_AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: FAKE_AWS_SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN: FAKE_AWS_SESSION_TOKEN,
};

/**
 * A copy of `base` with `overrides` applied: a string sets the variable, undefined removes it.
 * Tests derive their edge cases (tag builds, pull requests, retries, missing ids) from the
 * realistic environments above this way.
 */
export function envWith(base: Readonly<Record<string, string>>, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
