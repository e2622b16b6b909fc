import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { branchRef, commitSha, compactFacts, fullRef, repositoryUrl, requireHttpUrl, safeIds, tagRef } from './ci-values.ts';
import { FAKE_GIT_PASSWORD, FAKE_NPM_TOKEN } from './testing/ci-env.ts';

describe('commitSha', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['2b4ba8fe79386d40ce27dc5f6cc4161a0f598cc2', '2b4ba8fe79386d40ce27dc5f6cc4161a0f598cc2'],
    ['2B4BA8FE79386D40CE27DC5F6CC4161A0F598CC2', '2b4ba8fe79386d40ce27dc5f6cc4161a0f598cc2'],
    ['a'.repeat(64), 'a'.repeat(64)],
    ['HEAD', undefined],
    ['2b4ba8f', undefined],
    ['1234', undefined],
    ['g'.repeat(40), undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) test(`${input ?? '(unset)'} -> ${expected ?? '(none)'}`, () => assert.equal(commitSha(input), expected));
});

describe('refs', () => {
  test('branch, tag, full', () => {
    assert.equal(branchRef('feature/x'), 'refs/heads/feature/x');
    assert.equal(tagRef('v1'), 'refs/tags/v1');
    assert.equal(branchRef(undefined), undefined);
    assert.equal(fullRef('refs/pull/1/merge'), 'refs/pull/1/merge');
    assert.equal(fullRef('$/Project/main'), undefined);
    assert.equal(fullRef('main'), undefined);
  });
});

describe('repositoryUrl', () => {
  const cases: Array<[string, string | undefined]> = [
    ['https://github.com/acme/widget.git', 'https://github.com/acme/widget.git'],
    [`https://x-access-token:${FAKE_GIT_PASSWORD}@github.com/acme/widget.git`, 'https://github.com/acme/widget.git'],
    ['git@github.com:acme/widget.git', 'git@github.com:acme/widget.git'],
    // An scp-like remote whose user part is a token cannot be cleaned: better no URL.
    [`${FAKE_GIT_PASSWORD}@github.com:acme/widget.git`, undefined],
  ];
  for (const [input, expected] of cases) test(`${input.slice(0, 30)}… -> ${expected ?? '(dropped)'}`, () => assert.equal(repositoryUrl(input), expected));
});

describe('requireHttpUrl', () => {
  const ok: Array<[string, string]> = [
    ['https://buildkite.com/acme/app/builds/1', 'https://buildkite.com/acme/app/builds/1'],
    ['http://jenkins:8080/job/x/1/', 'http://jenkins:8080/job/x/1/'],
    ['https://admin:hunter2@ci.example.com/job/x/1/?token=abc', 'https://ci.example.com/job/x/1/'],
  ];
  for (const [value, expected] of ok) {
    test(`accepts ${value.slice(0, 30)}…`, () => assert.equal(requireHttpUrl(fakeContext({ env: { X_URL: value } }), 'P', 'X_URL'), expected));
  }
  for (const value of ['ftp://ci.example.com/x', 'ci.example.com/job/1', 'https:///nohost', 'https://bad host/x']) {
    test(`rejects ${value} without quoting it`, () => {
      assert.throws(
        () => requireHttpUrl(fakeContext({ env: { X_URL: value } }), 'P', 'X_URL'),
        (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes('X_URL') && !error.message.includes(value),
      );
    });
  }
});

describe('safeIds', () => {
  test('keeps ids, drops a value that looks like a secret, drops unset, sorts keys', () => {
    const ids = safeIds({ z_job: 'build', a_build: '42', step_key: FAKE_NPM_TOKEN, uuid: '01919c03-1f99-4e5e-a0f8-75f7571c8fbc', none: undefined });
    assert.deepEqual(ids, { a_build: '42', uuid: '01919c03-1f99-4e5e-a0f8-75f7571c8fbc', z_job: 'build' });
    assert.deepEqual(Object.keys(ids), ['a_build', 'uuid', 'z_job']);
  });
});

describe('compactFacts', () => {
  test('undefined optional fields are left out', () => {
    const facts = compactFacts({ platform: 'local', builderId: 'b', invocationId: 'i', ref: undefined, commit: undefined, platformIds: {} });
    assert.deepEqual(Object.keys(facts), ['platform', 'builderId', 'invocationId', 'platformIds']);
  });
});
