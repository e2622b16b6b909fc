import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { codebuildCollector } from './codebuild.ts';
import { CODEBUILD_ENV, envWith, FAKE_GIT_PASSWORD, FAKE_SECRETS } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) => codebuildCollector.collect(fakeContext({ env: envWith(CODEBUILD_ENV, overrides) }));

describe('codebuildCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['CODEBUILD_BUILD_ID', { CODEBUILD_BUILD_ID: 'widget-release:b1e6661e-e4f2-4156-9ab9-82a19c0ffee0' }, true],
    ['AWS region alone', { AWS_REGION: 'us-east-1' }, false],
    ['CI alone', { CI: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await codebuildCollector.detect(fakeContext({ env })), expected));
  }
});

describe('codebuildCollector.collect', () => {
  test('GitHub webhook build of a tag', async () => {
    assert.deepEqual(await collect(), {
      platform: 'aws-codebuild',
      builderId: 'https://aws.amazon.com/codebuild',
      invocationId: 'arn:aws:codebuild:us-east-1:123456789012:build/widget-release:b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
      triggerEvent: 'PUSH',
      repository: 'https://github.com/acme/widget.git',
      ref: 'refs/tags/v4.0.0',
      commit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      platformIds: {
        account_id: '123456789012',
        build_id: 'widget-release:b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
        build_number: '57',
        project: 'widget-release',
        region: 'us-east-1',
      },
    });
  });

  test('never states a runner kind (no variable says where the build ran)', async () => {
    assert.equal('runnerKind' in (await collect()), false);
  });

  const notWebhook = {
    CODEBUILD_WEBHOOK_TRIGGER: undefined,
    CODEBUILD_WEBHOOK_EVENT: undefined,
    CODEBUILD_WEBHOOK_HEAD_REF: undefined,
    CODEBUILD_WEBHOOK_BASE_REF: undefined,
  };
  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['branch push', { CODEBUILD_WEBHOOK_TRIGGER: 'branch/release/1.x', CODEBUILD_WEBHOOK_HEAD_REF: 'refs/heads/release/1.x' }, 'refs/heads/release/1.x'],
    [
      'pull request: the head may be in a fork, no ref claimed',
      { CODEBUILD_WEBHOOK_TRIGGER: 'pr/25', CODEBUILD_WEBHOOK_EVENT: 'PULL_REQUEST_CREATED', CODEBUILD_SOURCE_VERSION: 'pr/25' },
      undefined,
    ],
    ['started by hand with a full ref as source version', { ...notWebhook, CODEBUILD_SOURCE_VERSION: 'refs/heads/main' }, 'refs/heads/main'],
    ['started by hand with a bare name: branch or tag cannot be told', { ...notWebhook, CODEBUILD_SOURCE_VERSION: 'main' }, undefined],
    ['started by CodePipeline with a commit', notWebhook, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await collect(overrides);
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('pull request: event and number recorded', async () => {
    const facts = await collect({ CODEBUILD_WEBHOOK_TRIGGER: 'pr/25', CODEBUILD_WEBHOOK_EVENT: 'PULL_REQUEST_UPDATED' });
    assert.equal(facts.triggerEvent, 'PULL_REQUEST_UPDATED');
    assert.equal(facts.platformIds.pull_request, '25');
  });

  test('not a webhook build: no trigger event, and CODEBUILD_INITIATOR (a user name) is not used', async () => {
    const facts = await collect({ ...notWebhook, CODEBUILD_INITIATOR: 'jane.doe' });
    assert.equal('triggerEvent' in facts, false);
    assert.ok(!JSON.stringify(facts).includes('jane.doe'));
  });

  test('S3 source: no repository, no commit', async () => {
    const facts = await collect({
      ...notWebhook,
      CODEBUILD_SOURCE_REPO_URL: 's3://acme-sources/widget/source.zip',
      CODEBUILD_SOURCE_VERSION: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo',
      CODEBUILD_RESOLVED_SOURCE_VERSION: undefined,
    });
    for (const key of ['repository', 'commit', 'ref']) assert.equal(key in facts, false, key);
  });

  test('retry: a new build, a new ARN', async () => {
    const arn = 'arn:aws:codebuild:us-east-1:123456789012:build/widget-release:0c4d2a8e-1f3b-4c5d-9e6f-7a8b9c0d1e2f';
    assert.equal((await collect({ CODEBUILD_BUILD_ARN: arn })).invocationId, arn);
  });

  test('batch build and GovCloud partition', async () => {
    const facts = await collect({
      CODEBUILD_BUILD_ARN: 'arn:aws-us-gov:codebuild:us-gov-west-1:123456789012:build/widget-release:b1e6661e-e4f2-4156-9ab9-82a19c0ffee0',
      CODEBUILD_BATCH_BUILD_IDENTIFIER: 'build_linux',
    });
    assert.equal(facts.platformIds.region, 'us-gov-west-1');
    assert.equal(facts.platformIds.batch_build_identifier, 'build_linux');
  });

  test('COLLECTOR_FAILED without CODEBUILD_BUILD_ARN, naming it', async () => {
    await assert.rejects(
      collect({ CODEBUILD_BUILD_ARN: undefined }),
      (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes('CODEBUILD_BUILD_ARN'),
    );
  });

  test('COLLECTOR_FAILED for an ARN of another shape, without quoting it', async () => {
    await assert.rejects(
      collect({ CODEBUILD_BUILD_ARN: 'arn:aws:s3:::acme-bucket' }),
      (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes('CODEBUILD_BUILD_ARN') && !error.message.includes('acme-bucket'),
    );
  });

  test('no secret from the environment reaches the facts (AWS keys, credentials endpoint, token in the repo URL)', async () => {
    const facts = await collect({ CODEBUILD_SOURCE_REPO_URL: `https://${FAKE_GIT_PASSWORD}@github.com/acme/widget.git` });
    const out = JSON.stringify(facts);
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
    assert.ok(!out.includes('/v2/credentials/'));
    assert.equal(facts.repository, 'https://github.com/acme/widget.git');
  });
});
