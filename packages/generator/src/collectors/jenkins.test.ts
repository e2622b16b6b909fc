import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { jenkinsCollector } from './jenkins.ts';
import { envWith, FAKE_GIT_PASSWORD, FAKE_SECRETS, JENKINS_ENV } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) => jenkinsCollector.collect(fakeContext({ env: envWith(JENKINS_ENV, overrides) }));

/** A freestyle (or plain Pipeline) job: no multibranch variables, GIT_BRANCH with its remote. */
const FREESTYLE = { BRANCH_NAME: undefined, BRANCH_IS_PRIMARY: undefined, GIT_BRANCH: 'origin/main' };

describe('jenkinsCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['JENKINS_URL and BUILD_ID', { JENKINS_URL: 'https://ci.example.com/', BUILD_ID: '42' }, true],
    ['JENKINS_HOME and BUILD_ID (no Jenkins URL configured)', { JENKINS_HOME: '/var/jenkins_home', BUILD_ID: '42' }, true],
    ['JENKINS_HOME alone: a shell on the controller', { JENKINS_HOME: '/var/jenkins_home' }, false],
    ['BUILD_ID alone', { BUILD_ID: '42' }, false],
    ['empty JENKINS_URL', { JENKINS_URL: '', BUILD_ID: '42' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await jenkinsCollector.detect(fakeContext({ env })), expected));
  }
});

describe('jenkinsCollector.collect', () => {
  test('multibranch build of main on an agent', async () => {
    assert.deepEqual(await collect(), {
      platform: 'jenkins',
      builderId: 'https://ci.example.com',
      invocationId: 'https://ci.example.com/job/acme/job/widget/job/main/42/',
      runnerKind: 'self-hosted',
      repository: 'https://github.com/acme/widget.git',
      ref: 'refs/heads/main',
      commit: 'df2e37a99a4f7a96793614d0c17f2912b4967ca1',
      platformIds: {
        build_number: '42',
        job_name: 'acme/widget/main',
        node_name: 'linux-agent-1',
      },
    });
  });

  test('never states a trigger (Jenkins has no variable for the build cause)', async () => {
    assert.equal('triggerEvent' in (await collect()), false);
  });

  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['multibranch tag job', { BRANCH_NAME: 'v1.2.0', TAG_NAME: 'v1.2.0', GIT_BRANCH: 'v1.2.0' }, 'refs/tags/v1.2.0'],
    ['multibranch pull request: no ref claimed', { BRANCH_NAME: 'PR-24', CHANGE_ID: '24', CHANGE_TARGET: 'main', CHANGE_BRANCH: 'feature/x', GIT_BRANCH: 'PR-24' }, undefined],
    ['freestyle: origin/<branch>', FREESTYLE, 'refs/heads/main'],
    ['freestyle: branch with slash', { ...FREESTYLE, GIT_BRANCH: 'origin/release/1.x' }, 'refs/heads/release/1.x'],
    ['freestyle: checkout to a local branch', { ...FREESTYLE, GIT_LOCAL_BRANCH: 'main' }, 'refs/heads/main'],
    ['freestyle: full ref', { ...FREESTYLE, GIT_BRANCH: 'refs/tags/v2.0.0' }, 'refs/tags/v2.0.0'],
    ['freestyle: another remote name is ambiguous', { ...FREESTYLE, GIT_BRANCH: 'upstream/main' }, undefined],
    ['freestyle: detached', { ...FREESTYLE, GIT_BRANCH: 'detached' }, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await collect(overrides);
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('pull request: the change id is recorded', async () => {
    const facts = await collect({ BRANCH_NAME: 'PR-24', CHANGE_ID: '24' });
    assert.equal(facts.platformIds.change_id, '24');
  });

  test('rebuild or replay: a new build number, so a new invocation id', async () => {
    const facts = await collect({ BUILD_ID: '43', BUILD_NUMBER: '43', BUILD_URL: 'https://ci.example.com/job/acme/job/widget/job/main/43/' });
    assert.equal(facts.invocationId, 'https://ci.example.com/job/acme/job/widget/job/main/43/');
  });

  test('Jenkins under a context path: the builder keeps it', async () => {
    const facts = await collect({ JENKINS_URL: 'http://build.internal:8080/jenkins/', BUILD_URL: 'http://build.internal:8080/jenkins/job/widget/7/' });
    assert.equal(facts.builderId, 'http://build.internal:8080/jenkins');
  });

  test('not a git job: no repository or commit', async () => {
    const facts = await collect({ GIT_URL: undefined, GIT_COMMIT: undefined, GIT_BRANCH: undefined, BRANCH_NAME: undefined });
    for (const key of ['repository', 'commit', 'ref']) assert.equal(key in facts, false, key);
  });

  for (const name of ['JENKINS_URL', 'BUILD_URL']) {
    test(`COLLECTOR_FAILED without ${name} (no Jenkins URL configured), naming it`, async () => {
      await assert.rejects(
        collect({ [name]: undefined }),
        (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name) && error.message.includes('Jenkins URL'),
      );
    });
  }

  test('no secret from the environment reaches the facts (credential bindings, token in GIT_URL)', async () => {
    const facts = await collect({ GIT_URL: `https://acme-ci:${FAKE_GIT_PASSWORD}@github.com/acme/widget.git` });
    const out = JSON.stringify(facts);
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
    assert.ok(!out.includes('acme-ci'));
    assert.equal(facts.repository, 'https://github.com/acme/widget.git');
  });
});
