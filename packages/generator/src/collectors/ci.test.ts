import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeContext } from '../testing/fake-context.ts';
import { ciCollectors, detectCi } from './ci.ts';
import { GITHUB_ENV, GITLAB_ENV } from './testing/ci-env.ts';

describe('detectCi', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['GitHub Actions', { ...GITHUB_ENV }, 'github-actions'],
    ['GitLab CI', { ...GITLAB_ENV }, 'gitlab-ci'],
    ['no CI', {}, 'local'],
    ['unknown CI with only CI=true', { CI: 'true', BUILDKITE: 'true' }, 'local'],
    // Only a misconfigured job sets both; the answer must still be deterministic.
    ['both claimed: first in the list wins', { ...GITLAB_ENV, ...GITHUB_ENV }, 'github-actions'],
  ];
  for (const [label, env, platform] of cases) {
    test(`${label} -> ${platform}`, async () => {
      assert.equal((await detectCi(fakeContext({ env }))).platform, platform);
    });
  }

  test('the platform facts are those of the detected collector', async () => {
    const facts = await detectCi(fakeContext({ env: { ...GITLAB_ENV } }));
    assert.equal(facts.invocationId, 'https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/8812345678');
  });
});

describe('ciCollectors', () => {
  test('GitHub Actions, GitLab CI, then the local fallback', () => {
    assert.deepEqual(
      ciCollectors.map((c) => c.name),
      ['github-actions', 'gitlab-ci', 'local'],
    );
  });

  test('only the last one always detects', async () => {
    const ctx = fakeContext();
    const detected = await Promise.all(ciCollectors.map((c) => c.detect(ctx)));
    assert.deepEqual(detected, [false, false, true]);
  });
});
