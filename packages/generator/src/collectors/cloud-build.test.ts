import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { cloudBuildCollector } from './cloud-build.ts';
import { CLOUD_BUILD_ENV, envWith, FAKE_SECRETS } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) => cloudBuildCollector.collect(fakeContext({ env: envWith(CLOUD_BUILD_ENV, overrides) }));

const CONSOLE = 'https://console.cloud.google.com/cloud-build/builds';

describe('cloudBuildCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['BUILD_ID (UUID) and PROJECT_ID mapped', { BUILD_ID: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0', PROJECT_ID: 'acme-prod' }, true],
    ['BUILD_ID without PROJECT_ID', { BUILD_ID: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0' }, false],
    ['nothing mapped (Cloud Build sets no substitution by itself)', { BUILDER_OUTPUT: '/builder/outputs', HOME: '/builder/home' }, false],
    ['a Jenkins build number is not a Cloud Build id', { BUILD_ID: '42', PROJECT_ID: 'acme-prod' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await cloudBuildCollector.detect(fakeContext({ env })), expected));
  }
});

describe('cloudBuildCollector.collect', () => {
  test('tag build from a trigger, substitutions automapped', async () => {
    assert.deepEqual(await collect(), {
      platform: 'google-cloud-build',
      builderId: 'https://cloud.google.com/build',
      invocationId: `${CONSOLE};region=us-central1/b1e6661e-e4f2-4156-9ab9-82a19c0ffee0?project=acme-prod`,
      ref: 'refs/tags/v3.1.0',
      commit: '5d2ad1f8e4c3b2a190817263544536271809abcd',
      workflow: { path: 'cloudbuild.yaml' },
      platformIds: {
        build_id: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
        location: 'us-central1',
        project_id: 'acme-prod',
        project_number: '123456789012',
        repo_full_name: 'acme/widget',
        trigger_name: 'widget-release',
      },
    });
  });

  test('never claims GoogleHostedWorker, a runner kind, a trigger event or a repository', async () => {
    const facts = await collect();
    assert.ok(!facts.builderId.includes('cloudbuild.googleapis.com'));
    for (const key of ['runnerKind', 'triggerEvent', 'repository']) assert.equal(key in facts, false, key);
  });

  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['branch trigger', { TAG_NAME: '', BRANCH_NAME: 'main', REF_NAME: 'main' }, 'refs/heads/main'],
    [
      'GitHub pull request trigger: which ref was built is not stated',
      { TAG_NAME: '', BRANCH_NAME: 'feature/x', _PR_NUMBER: '12', _HEAD_BRANCH: 'feature/x', _BASE_BRANCH: 'main' },
      undefined,
    ],
    ['manual build (gcloud builds submit): no ref', { TAG_NAME: undefined, BRANCH_NAME: undefined, REF_NAME: undefined }, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await collect(overrides);
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('pull request number recorded', async () => {
    assert.equal((await collect({ _PR_NUMBER: '12' })).platformIds.pr_number, '12');
  });

  test('only BUILD_ID and PROJECT_ID mapped: the global console URL, nothing else', async () => {
    const env = { BUILD_ID: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0', PROJECT_ID: 'acme-prod' };
    assert.deepEqual(await cloudBuildCollector.collect(fakeContext({ env })), {
      platform: 'google-cloud-build',
      builderId: 'https://cloud.google.com/build',
      invocationId: `${CONSOLE}/b1e6661e-e4f2-4156-9ab9-82a19c0ffee0?project=acme-prod`,
      platformIds: { build_id: 'b1e6661e-e4f2-4156-9ab9-82a19c0ffee0', project_id: 'acme-prod' },
    });
  });

  test('REVISION_ID when COMMIT_SHA is not mapped', async () => {
    assert.equal((await collect({ COMMIT_SHA: undefined })).commit, '5d2ad1f8e4c3b2a190817263544536271809abcd');
  });

  test('retry: a new build id, so a new invocation id', async () => {
    const facts = await collect({ BUILD_ID: '0c4d2a8e-1f3b-4c5d-9e6f-7a8b9c0d1e2f' });
    assert.equal(facts.invocationId, `${CONSOLE};region=us-central1/0c4d2a8e-1f3b-4c5d-9e6f-7a8b9c0d1e2f?project=acme-prod`);
  });

  test('inline build config: no workflow path', async () => {
    assert.equal('workflow' in (await collect({ TRIGGER_BUILD_CONFIG_PATH: '' })), false);
  });

  for (const name of ['BUILD_ID', 'PROJECT_ID']) {
    test(`COLLECTOR_FAILED without ${name}, naming it`, async () => {
      await assert.rejects(collect({ [name]: undefined }), (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name));
    });
  }

  test('no secret from the environment reaches the facts (secretEnv)', async () => {
    const out = JSON.stringify(await collect());
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });
});
