import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareCodeUnits, DEFAULT_ENV_ALLOWLIST, isAllowlisted, selectEnvVariables } from './env-variables.ts';
import { isSensitiveName } from './secrets.ts';
import { FAKE_SECRETS, GITHUB_ENV, GITLAB_ENV } from './testing/ci-env.ts';

describe('isAllowlisted', () => {
  const cases: Array<[string, readonly string[], boolean]> = [
    ['CI', ['CI'], true],
    ['CI_JOB_ID', ['CI'], false],
    ['ci', ['CI'], false],
    ['MY_APP_MODE', ['MY_APP_*'], true],
    ['MY_APP_', ['MY_APP_*'], true],
    ['MY_APPLE', ['MY_APP_*'], false],
    ['ANYTHING', ['*'], true],
    ['A*B', ['A*B'], true],
    ['AXB', ['A*B'], false],
    ['X', [], false],
  ];
  for (const [name, allowlist, expected] of cases) {
    test(`${name} on ${JSON.stringify(allowlist)} -> ${expected}`, () => assert.equal(isAllowlisted(name, allowlist), expected));
  }
});

describe('DEFAULT_ENV_ALLOWLIST', () => {
  test('has no glob and no duplicate', () => {
    assert.ok(DEFAULT_ENV_ALLOWLIST.every((name) => !name.includes('*')));
    assert.equal(new Set(DEFAULT_ENV_ALLOWLIST).size, DEFAULT_ENV_ALLOWLIST.length);
  });

  test('names no sensitive variable', () => {
    assert.deepEqual(DEFAULT_ENV_ALLOWLIST.filter(isSensitiveName), []);
  });

  test('leaves out the clone URL with the job token and personal data', () => {
    for (const name of ['CI_REPOSITORY_URL', 'GITLAB_USER_EMAIL', 'CI_COMMIT_AUTHOR', 'GITHUB_ACTOR', 'GITHUB_TOKEN']) {
      assert.ok(!DEFAULT_ENV_ALLOWLIST.includes(name), name);
    }
  });
});

describe('selectEnvVariables', () => {
  test('GitHub Actions: records the run identifiers, redacts nothing, leaks no secret', () => {
    const { variables, redactedVariables } = selectEnvVariables(GITHUB_ENV, DEFAULT_ENV_ALLOWLIST);
    assert.deepEqual(redactedVariables, []);
    assert.equal(variables.GITHUB_SHA, 'ffac537e6cbbf934b08745a378932722df287a53');
    assert.equal(variables.GITHUB_WORKFLOW_REF, 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0');
    assert.equal(variables.RUNNER_NAME, 'GitHub Actions 1000000012');
    assert.equal(variables.ImageVersion, '20250105.1.0');
    // Not on the list: not mentioned at all, not even by name.
    for (const name of ['GITHUB_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'PATH', 'HOME', 'GITHUB_ACTOR', 'RUNNER_TEMP']) {
      assert.equal(name in variables, false, name);
    }
    const out = JSON.stringify({ variables, redactedVariables });
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });

  test('GitLab CI: records pipeline identifiers, never the clone URL or job token', () => {
    const { variables, redactedVariables } = selectEnvVariables(GITLAB_ENV, DEFAULT_ENV_ALLOWLIST);
    assert.deepEqual(redactedVariables, []);
    assert.equal(variables.CI_JOB_URL, 'https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/8812345678');
    assert.equal(variables.CI_RUNNER_VERSION, '17.7.0~pre.103.g896916a8');
    assert.equal(variables.CI_JOB_IMAGE, 'registry.gitlab.com/gitlab-org/gitlab-build-images:golang-1.23');
    assert.equal('CI_REPOSITORY_URL' in variables, false);
    assert.equal('GITLAB_USER_EMAIL' in variables, false);
    const out = JSON.stringify({ variables, redactedVariables });
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });

  test('a broad glob redacts secret names by name only', () => {
    const { variables, redactedVariables } = selectEnvVariables(GITHUB_ENV, ['GITHUB_*', 'ACTIONS_*']);
    assert.deepEqual(redactedVariables, ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_RUNTIME_TOKEN', 'GITHUB_TOKEN']);
    assert.equal('GITHUB_TOKEN' in variables, false);
    assert.equal(variables.GITHUB_RUN_ID, '1658821493');
    const out = JSON.stringify({ variables, redactedVariables });
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });

  test('an innocently named variable with a secret value is redacted', () => {
    const env = {
      NODE_OPTIONS: `--require ./preload.js --token=${FAKE_SECRETS[0]}`,
      BUILD_MIRROR: 'https://deploy:hunter2@mirror.example/npm',
      BUILD_FLAVOR: 'release',
    };
    const { variables, redactedVariables } = selectEnvVariables(env, ['NODE_OPTIONS', 'BUILD_*']);
    assert.deepEqual(variables, { BUILD_FLAVOR: 'release' });
    assert.deepEqual(redactedVariables, ['BUILD_MIRROR', 'NODE_OPTIONS']);
  });

  test('keys and redacted names come out sorted by code unit', () => {
    const env = { b: '2', a: '1', C: '3', Z_TOKEN: 'x', A_SECRET: 'y' };
    const { variables, redactedVariables } = selectEnvVariables(env, ['*']);
    assert.deepEqual(Object.keys(variables), ['C', 'a', 'b']);
    assert.deepEqual(redactedVariables, ['A_SECRET', 'Z_TOKEN']);
  });

  test('undefined values are skipped and empty values kept', () => {
    const { variables } = selectEnvVariables({ CI_COMMIT_TAG: '', TZ: undefined }, DEFAULT_ENV_ALLOWLIST);
    assert.deepEqual(variables, { CI_COMMIT_TAG: '' });
  });
});

test('compareCodeUnits orders upper case before lower case, like a byte sort', () => {
  assert.deepEqual(['b', 'B', 'a', 'A'].sort(compareCodeUnits), ['A', 'B', 'a', 'b']);
});
